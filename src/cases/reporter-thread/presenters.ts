// The reporter thread as the HTTP API shows it to staff, with its TypeBox schemas.
import { Type } from '@fastify/type-provider-typebox';
import type { ReporterThread } from './service.ts';

const FileView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  fileName: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  declaredType: Type.String({ description: 'As the uploader declared it; downloads are always bytes' }),
});

export const ThreadMessageView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  author: Type.Object({
    kind: Type.Union([Type.Literal('reporter'), Type.Literal('staff')]),
    label: Type.String({ description: 'The staff member, or the reporter (name if given)' }),
  }),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  files: Type.Array(FileView),
});

export const ThreadView = Type.Object({
  items: Type.Array(ThreadMessageView, { description: 'Oldest first' }),
  reportFiles: Type.Array(FileView, { description: 'Files sent with the report itself' }),
});

type FileRow = ReporterThread['files'][number];

const presentFile = (file: FileRow) => ({
  id: file.id,
  fileName: file.file_name,
  size: Number(file.size),
  sha256: file.sha256,
  declaredType: file.declared_type,
});

export function presentThread(thread: ReporterThread) {
  const filesOf = (messageId: string | null) =>
    thread.files.filter((f) => f.message_id === messageId).map(presentFile);
  const reporterLabel = thread.report.reporter_name ?? 'Reporter';
  return {
    items: thread.messages.map((m) => ({
      id: m.id,
      author:
        m.author === 'staff'
          ? { kind: 'staff' as const, label: m.author_label ?? 'Security team' }
          : { kind: 'reporter' as const, label: reporterLabel },
      body: m.body,
      createdAt: m.created_at.toISOString(),
      files: filesOf(m.id),
    })),
    reportFiles: filesOf(null),
  };
}

export const presentMessage = (thread: ReporterThread, messageId: string) => {
  const message = presentThread(thread).items.find((m) => m.id === messageId);
  if (!message) throw new Error(`message ${messageId} vanished`);
  return message;
};
