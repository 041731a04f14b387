// Texts of the mails intake sends. Plain text only: nothing a reporter wrote is ever sent as HTML.

export function acknowledgementMail(values: {
  orgName: string;
  trackingId: string;
  statusUrl: string;
  acknowledgeDays: number;
}): { subject: string; text: string } {
  return {
    subject: `[${values.trackingId}] We received your vulnerability report`,
    text: [
      'Hello,',
      '',
      `Thank you for reporting a security issue to ${values.orgName}. Your report is safely stored under`,
      `tracking id ${values.trackingId}.`,
      '',
      'Follow it and reply to us (with attachments if needed) on your private status page:',
      values.statusUrl,
      '',
      'Keep this link to yourself: anyone who has it can read the status of your report and reply as you.',
      `A person from our security team will confirm receipt within ${values.acknowledgeDays} business days.`,
      '',
      `-- ${values.orgName} security team`,
    ].join('\n'),
  };
}
