// The reporter's private status page: what happened to the report, the conversation, a reply box.
import type { FieldErrors } from '../../platform/errors.ts';
import { type Html, html, revealed } from '../../platform/html.ts';

export const publicStatusLabels: Record<string, string> = {
  received: 'Received: waiting for our security team to review it',
};

const eventLabels: Record<string, string> = {
  received: 'Report received',
  acknowledgement_queued: 'Acknowledgement sent to your email address',
  reporter_replied: 'You sent a reply',
  linked_to_case: 'Linked to a case our team already handles for the same issue',
  duplicate_linked: 'Another report of the same issue was linked to yours',
};

type StatusView = {
  token: string;
  report: {
    tracking_id: string;
    status: string;
    title: string;
    created_at: Date;
    product_name: string | null;
    product_text: string | null;
  };
  events: { kind: string; created_at: Date }[];
  messages: { id: string; author: string; body: string; created_at: Date }[];
  files: { message_id: string | null; file_name: string; size: number }[];
  replyErrors?: FieldErrors;
  replyBody?: string;
  notice?: string;
  maxAttachments: number;
};

const when = (date: Date) =>
  html`<time datetime="${date.toISOString()}">${date.toISOString().replace('T', ' ').slice(0, 16)} UTC</time>`;

export function statusPage(view: StatusView): Html {
  const { report } = view;
  const filesOf = (messageId: string | null) => view.files.filter((f) => f.message_id === messageId);
  const fileList = (files: StatusView['files']) =>
    files.length === 0
      ? ''
      : html`<ul class="files">${files.map((f) => html`<li>${revealed(f.file_name)} (${f.size} bytes)</li>`)}</ul>`;
  const errors = view.replyErrors ?? {};
  return html`<h1>Report ${report.tracking_id}</h1>
${view.notice ? html`<div class="panel success" role="status"><p>${view.notice}</p></div>` : ''}
<dl class="facts">
<dt>Status</dt><dd id="report-status">${publicStatusLabels[report.status] ?? report.status}</dd>
<dt>Title</dt><dd class="verbatim">${revealed(report.title)}</dd>
<dt>Product</dt><dd>${revealed(report.product_name ?? report.product_text ?? 'not given')}</dd>
<dt>Received</dt><dd>${when(report.created_at)}</dd>
</dl>
${filesOf(null).length > 0 ? html`<h2>Attachments</h2>${fileList(filesOf(null))}` : ''}
<h2>Timeline</h2>
<ol class="timeline">${view.events.map((e) => html`<li>${when(e.created_at)} ${eventLabels[e.kind] ?? e.kind}</li>`)}</ol>
<h2>Conversation</h2>
${
  view.messages.length === 0
    ? html`<p>No messages yet.</p>`
    : view.messages.map(
        (
          m,
        ) => html`<div class="panel"><p><strong>${m.author === 'reporter' ? 'You' : 'Security team'}</strong> ${when(m.created_at)}</p>
<p class="verbatim">${revealed(m.body)}</p>${fileList(filesOf(m.id))}</div>`,
      )
}
<h2>Reply</h2>
<form method="post" action="/status/${view.token}/replies" enctype="multipart/form-data" novalidate>
<div class="field${errors.body ? ' invalid' : ''}"><label for="body">Message</label>
${errors.body ? html`<p class="error" id="body-error">Message ${errors.body}</p>` : ''}
<textarea id="body" name="body">${view.replyBody ?? ''}</textarea></div>
<div class="field${errors.attachments ? ' invalid' : ''}"><label for="attachments">Attachments (optional, up to ${view.maxAttachments})</label>
${errors.attachments ? html`<p class="error">${errors.attachments}</p>` : ''}
<input type="file" id="attachments" name="attachments" multiple></div>
<p><button type="submit">Send reply</button></p>
</form>`;
}
