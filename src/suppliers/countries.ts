// ISO 3166-1 alpha-2: the 249 officially assigned country codes, so that "UK", "EU" or a typo is
// refused with a hint instead of being stored and later matching nothing.

const assigned = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT ' +
    'BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ' +
    'ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT ' +
    'HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS ' +
    'LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI ' +
    'NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG ' +
    'SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** Codes people type that are not ISO 3166-1 alpha-2, with the code they most likely mean. */
const commonMistakes: Record<string, string> = { UK: 'GB', EL: 'GR', EN: 'GB' };

export const isCountryCode = (code: string): boolean => assigned.has(code);

/** Why `code` is not an assigned alpha-2 code, in words a person can act on. */
export function countryCodeProblem(code: string): string {
  const hint = commonMistakes[code.toUpperCase()];
  if (hint) return `is not an ISO 3166-1 alpha-2 code; did you mean ${hint}?`;
  if (/^[a-z]{2}$/.test(code) && assigned.has(code.toUpperCase())) {
    return `must be upper case: ${code.toUpperCase()}`;
  }
  return 'must be an ISO 3166-1 alpha-2 country code such as CN, VN, TW or DE';
}

const displayNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The English name of an assigned code ("CN" → "China"). */
export const countryName = (code: string): string => displayNames.of(code) ?? code;
