// Texts of the mails a reporter gets from the reporter thread. Plain text, and nothing in them that
// anyone outside the security team wrote: no report title, no message body, no name. Mail is not
// private, and text a reporter wrote is hostile; each mail only says what happened and gives a
// fresh private link to the status page, where the rest is shown escaped.
import { reporterStatusSentences } from '../../intake/reporter-statuses.ts';

type MailText = { subject: string; text: string };

const linkLines = (statusUrl: string) => [
  'Read it and reply (with attachments if needed) on your private status page:',
  statusUrl,
  '',
  'Keep this link to yourself: anyone who has it can read the status of your report and reply as you.',
  'Your earlier links keep working.',
];

const day = (date: Date) => date.toISOString().slice(0, 10);

export function staffMessageMail(values: {
  orgName: string;
  trackingId: string;
  statusUrl: string;
}): MailText {
  return {
    subject: `[${values.trackingId}] A message from the ${values.orgName} security team`,
    text: [
      'Hello,',
      '',
      `Our security team wrote to you about your vulnerability report ${values.trackingId}.`,
      'We do not put the message itself in this mail, since mail is not private.',
      '',
      ...linkLines(values.statusUrl),
      '',
      `-- ${values.orgName} security team`,
    ].join('\n'),
  };
}

export function linkedToCaseMail(values: {
  orgName: string;
  trackingId: string;
  caseNumber: string;
  firstReportedOn: Date;
  statusUrl: string;
}): MailText {
  return {
    subject: `[${values.trackingId}] Your report was linked to case ${values.caseNumber}`,
    text: [
      'Hello,',
      '',
      `Your vulnerability report ${values.trackingId} describes an issue we already handle as case`,
      `${values.caseNumber}, first reported to us on ${day(values.firstReportedOn)}. We keep your report: it stays`,
      'part of the case, we read it with the others, and you hear from us on your status page.',
      '',
      ...linkLines(values.statusUrl),
      '',
      `-- ${values.orgName} security team`,
    ].join('\n'),
  };
}

export function duplicateArrivedMail(values: {
  orgName: string;
  trackingId: string;
  arrived: number;
  statusUrl: string;
}): MailText {
  const what =
    values.arrived === 1
      ? 'another report of the same issue arrived'
      : `${values.arrived} more reports of the same issue arrived`;
  return {
    subject: `[${values.trackingId}] Another report of the same issue arrived`,
    text: [
      'Hello,',
      '',
      `About your vulnerability report ${values.trackingId}: ${what}, and we linked it to the case`,
      'we handle your report in. Nothing changes for you: your report stays where it is, and no other',
      'reporter sees it or your conversation with us.',
      '',
      ...linkLines(values.statusUrl),
      '',
      `-- ${values.orgName} security team`,
    ].join('\n'),
  };
}

export function statusChangedMail(values: {
  orgName: string;
  trackingId: string;
  status: string;
  statusUrl: string;
}): MailText {
  return {
    subject: `[${values.trackingId}] Your report's status changed`,
    text: [
      'Hello,',
      '',
      `The status of your vulnerability report ${values.trackingId} is now:`,
      reporterStatusSentences[values.status] ?? values.status,
      '',
      ...linkLines(values.statusUrl),
      '',
      `-- ${values.orgName} security team`,
    ].join('\n'),
  };
}
