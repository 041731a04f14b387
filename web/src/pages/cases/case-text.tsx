// Small pieces every case screen uses: hostile text shown safely, state and severity labels, the
// workflow's moves, and "time left" in words.
import type { User } from '../../session.tsx';
import type { CaseState, Severity } from '../../types.ts';

/** Admins and analysts change cases; auditors read; suppliers read their own, reduced. */
export const writesCases = (user: User) => user.role === 'admin' || user.role === 'analyst';
export const isStaff = (user: User) => user.role !== 'supplier';

// Bidirectional controls and invisible characters can make a title read as something else (an
// "exe.png" that is really "gnp.exe"). As on the server's pages (src/platform/html.ts `revealed`),
// they are shown as visible code points, never applied.
const INVISIBLE = /([\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF])/;

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Text written by someone else, as inert text with invisible and bidi characters made visible. */
export function Revealed({ text }: { text: string }) {
  const parts = text.split(INVISIBLE);
  return (
    <bdi className="revealed">
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move
          <span key={i} className="ctl" title="invisible character">
            [{codePoint(part)}]
          </span>
        ) : (
          part
        ),
      )}
    </bdi>
  );
}

/**
 * Whether a word mixes Latin letters with Greek or Cyrillic ones, as look-alike spoofing does
 * ("Ηоmе Саmеrа" written with Greek and Cyrillic letters reads as "Home Camera").
 */
export const mixesScripts = (text: string) =>
  text
    .split(/\s+/)
    .some((word) => /\p{Script=Latin}/u.test(word) && /[\p{Script=Greek}\p{Script=Cyrillic}]/u.test(word));

/** The same as plain text, for attributes and the document title. */
export const revealedText = (text: string) =>
  text
    .split(INVISIBLE)
    .map((part, i) => (i % 2 === 1 ? `[${codePoint(part)}]` : part))
    .join('');

export const stateLabels: Record<CaseState, string> = {
  new: 'New',
  triage: 'Triage',
  confirmed: 'Confirmed',
  'not-a-vulnerability': 'Not a vulnerability',
  duplicate: 'Duplicate',
  'out-of-scope': 'Out of scope',
  fixing: 'Fixing',
  'fix-available': 'Fix available',
  disclosed: 'Disclosed',
  closed: 'Closed',
};

export const caseStates = Object.keys(stateLabels) as CaseState[];

/** The workflow's moves as docs/cases.md lists them; the server decides and answers 409 otherwise. */
const moves: Record<CaseState, CaseState[]> = {
  new: ['triage'],
  triage: ['confirmed', 'not-a-vulnerability', 'duplicate', 'out-of-scope'],
  confirmed: ['fixing'],
  fixing: ['fix-available'],
  'fix-available': ['disclosed'],
  disclosed: ['closed'],
  closed: ['triage'],
  'not-a-vulnerability': ['triage'],
  duplicate: ['triage'],
  'out-of-scope': ['triage'],
};
const atRest: CaseState[] = ['closed', 'not-a-vulnerability', 'out-of-scope', 'duplicate'];

export const nextMoves = (from: CaseState) => moves[from];
export const isReopen = (from: CaseState, to: CaseState) => to === 'triage' && atRest.includes(from);
export const moveNeedsReason = (from: CaseState, to: CaseState) =>
  ['not-a-vulnerability', 'out-of-scope', 'duplicate'].includes(to) || isReopen(from, to);

export const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'none'];

export function SeverityBadge({ severity, score }: { severity: Severity | null; score: number | null }) {
  if (!severity) return <span className="sev sev-unset">Not rated</span>;
  return (
    <span className={`sev sev-${severity}`}>
      {severity[0]?.toUpperCase()}
      {severity.slice(1)}
      {score !== null && ` ${score.toFixed(1)}`}
    </span>
  );
}

/** "2 d 4 h", "3 h 10 min", "45 min": the size of a duration, to the two largest units. */
export function duration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** "3 d 4 h left" or "overdue by 2 h", from a deadline and now. */
export function timeLeft(dueAt: string, now = Date.now()): { text: string; overdue: boolean } {
  const ms = new Date(dueAt).getTime() - now;
  return ms < 0
    ? { text: `overdue by ${duration(ms)}`, overdue: true }
    : { text: `${duration(ms)} left`, overdue: false };
}
