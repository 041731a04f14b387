// Thread messages in the shape of the HTTP API. A supplier reads staff messages as coming from the
// security team, not from a named analyst (as it sees no assignee or event actors elsewhere).
import { Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { ThreadMessage } from './store.ts';

const Id = Type.String({ format: 'uuid' });

export const ThreadSchema = Type.Union([Type.Literal('supplier'), Type.Literal('internal')], {
  description: "supplier: staff and the users of the case's supplier; internal: staff only",
});
export const PurposeSchema = Type.Union([Type.Literal('attachment'), Type.Literal('fix-material')]);

export const ThreadFileView = Type.Object({
  id: Id,
  fileName: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  declaredType: Type.String({ description: 'As the uploader declared it; downloads are always bytes' }),
  purpose: PurposeSchema,
});

export const ThreadMessageView = Type.Object({
  id: Id,
  thread: ThreadSchema,
  author: Type.Object({
    kind: Type.Union([Type.Literal('staff'), Type.Literal('supplier')]),
    label: Type.String(),
  }),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  files: Type.Array(ThreadFileView),
});

export const ThreadView = Type.Object({
  items: Type.Array(ThreadMessageView, { description: 'Oldest first' }),
});

export function presentThreadMessage(message: ThreadMessage, principal: Principal, orgName: string) {
  const anonymousStaff = principal.role === 'supplier' && message.author_kind === 'staff';
  return {
    id: message.id,
    thread: message.thread,
    author: {
      kind: message.author_kind,
      label: anonymousStaff ? `${orgName} security team` : message.author_label,
    },
    body: message.body,
    createdAt: message.created_at.toISOString(),
    files: message.files.map((file) => ({
      id: file.id,
      fileName: file.file_name,
      size: file.size,
      sha256: file.sha256,
      declaredType: file.declared_type,
      purpose: file.purpose,
    })),
  };
}
