// Texts of the mails a supplier-thread post or an acknowledgement sends. They name the case and link
// to it but never carry the message: what is said about an unfixed vulnerability stays in the console.
import type { OutgoingMail } from '../../mail/mailer.ts';

type CaseRef = { id: string; number: string };

/** To a supplier's user: the security team wrote in the case's supplier thread. */
export function staffWroteMail(values: {
  to: { userId: string; email: string };
  orgName: string;
  caseRef: CaseRef;
  url: string;
  messageId: string;
  fixMaterial: boolean;
}): OutgoingMail {
  const { caseRef } = values;
  return {
    to: values.to.email,
    subject: `[${caseRef.number}] A new message from the ${values.orgName} security team`,
    text: [
      'Hello,',
      '',
      `The ${values.orgName} security team wrote a new message about case ${caseRef.number}` +
        (values.fixMaterial ? ', with fix material attached.' : '.'),
      'Read it and answer in the supplier portal (sign in first):',
      values.url,
      '',
      'The message itself is not in this mail, since it may describe a vulnerability that is not fixed yet.',
      '',
      `-- ${values.orgName} security team`,
    ].join('\n'),
    messageId: `<case-thread.${values.messageId}.${values.to.userId}@openpsirt>`,
  };
}

/** To staff: the supplier wrote in the supplier thread, uploaded fix material, or acknowledged the case. */
export function supplierActedMail(values: {
  to: { userId: string; email: string };
  supplierName: string;
  caseRef: CaseRef;
  url: string;
  /** The message or acknowledgement this mail is about; makes the mail's id unique. */
  about: string;
  action: 'message' | 'fix-material' | 'acknowledged';
}): OutgoingMail {
  const { caseRef, supplierName } = values;
  const what = {
    message: `${supplierName} wrote a new message in the supplier thread`,
    'fix-material': `${supplierName} uploaded fix material`,
    acknowledged: `${supplierName} acknowledged the case`,
  }[values.action];
  return {
    to: values.to.email,
    subject: `[${caseRef.number}] ${what}`,
    text: [`${what} of ${caseRef.number}.`, '', `Open the case: ${values.url}`].join('\n'),
    messageId: `<case-supplier.${values.about}.${values.to.userId}@openpsirt>`,
  };
}
