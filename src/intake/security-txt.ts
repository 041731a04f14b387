// security.txt (RFC 9116) built from configuration. Expires moves with the calendar, a fixed number
// of days after the start of the current UTC day, so the file never expires and a signature made for
// one day's text stays valid all that day.

export type SecurityTxtValues = {
  publicUrl: string;
  securityEmail: string;
  preferredLanguages: string;
  acknowledgmentsUrl: string | null;
  expiresDays: number;
  today: Date;
};

export const securityTxtPaths = {
  canonical: '/.well-known/security.txt',
  reportForm: '/report',
  policy: '/policy',
  pgpKey: '/.well-known/openpgp-key.asc',
  acknowledgments: '/acknowledgments',
};

export function securityTxtExpires(today: Date, days: number): Date {
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(start + days * 86_400_000);
}

export function buildSecurityTxt(values: SecurityTxtValues): string {
  const at = (path: string) => `${values.publicUrl}${path}`;
  return [
    '# Report security vulnerabilities in our products here. Please read the policy first.',
    `Contact: ${at(securityTxtPaths.reportForm)}`,
    `Contact: mailto:${values.securityEmail}`,
    `Expires: ${securityTxtExpires(values.today, values.expiresDays).toISOString().replace('.000Z', 'Z')}`,
    `Encryption: ${at(securityTxtPaths.pgpKey)}`,
    `Acknowledgments: ${values.acknowledgmentsUrl ?? at(securityTxtPaths.acknowledgments)}`,
    `Policy: ${at(securityTxtPaths.policy)}`,
    `Preferred-Languages: ${values.preferredLanguages}`,
    `Canonical: ${at(securityTxtPaths.canonical)}`,
    '',
  ].join('\n');
}
