// A case's supplier thread and internal notes: reading a thread and its files; posting and the
// supplier's acknowledgement are commands under commands/.
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { NotFound } from '../../platform/errors.ts';
import * as store from './store.ts';
import { openThread, type ThreadName } from './thread-policy.ts';

export { acknowledgeCase } from './commands/acknowledge-case.ts';
export { checkThreadWrite, maxMessageLength, postThreadMessage } from './commands/post-message.ts';

/** The thread's messages the principal may read, oldest first; NotFound when the thread is not theirs. */
export async function listThread(
  deps: Deps,
  principal: Principal,
  caseId: string,
  thread: ThreadName,
): Promise<store.ThreadMessage[]> {
  const opened = await openThread(deps.db, principal, caseId, thread, 'read');
  return store.listMessages(deps.db, { caseId, thread, supplierId: opened.supplierScope });
}

/** One message the principal may read (the one just posted). */
export async function getThreadMessage(
  deps: Deps,
  principal: Principal,
  caseId: string,
  thread: ThreadName,
  messageId: string,
): Promise<store.ThreadMessage> {
  const opened = await openThread(deps.db, principal, caseId, thread, 'read');
  const [message] = await store.listMessages(deps.db, {
    caseId,
    thread,
    supplierId: opened.supplierScope,
    messageId,
  });
  if (!message) throw new NotFound('No such message');
  return message;
}

/** A file of the thread, under the same rules as reading the thread. */
export async function getThreadFile(
  deps: Deps,
  principal: Principal,
  caseId: string,
  thread: ThreadName,
  fileId: string,
): Promise<store.MessageFileRow> {
  const opened = await openThread(deps.db, principal, caseId, thread, 'read');
  const file = await store.findMessageFile(deps.db, {
    caseId,
    thread,
    supplierId: opened.supplierScope,
    fileId,
  });
  if (!file) throw new NotFound('No such file');
  return file;
}
