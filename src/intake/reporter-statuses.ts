// What each status of a report means, in the reporter's words: the status page shows it and the
// status mails quote it. The cases feature sets the status as the report's case moves.
export const reporterStatusSentences: Record<string, string> = {
  received: 'Received: waiting for our security team to review it',
  triage: 'Being assessed: our security team is reproducing and judging the issue',
  confirmed: 'Confirmed: we are working on a fix',
  'fix-available': 'A fix is available; we are preparing the publication',
  disclosed: 'Published: the advisory is out',
  closed: 'Closed',
  'not-a-vulnerability': 'Closed: we concluded that this is not a vulnerability',
  'out-of-scope': 'Closed: this is outside the scope of our policy',
};
