// The reporter's private status page: what happened to the report, the conversation, a reply box.
import type { FieldErrors } from '../../platform/errors.ts';
import { type Html, html, revealed } from '../../platform/html.ts';
import { reporterStatusSentences } from '../reporter-statuses.ts';

const eventLabels: Record<string, string> = {
  received: 'Report received',
  acknowledgement_queued: 'Acknowledgement sent to your email address',
  reporter_replied: 'You sent a reply',
  linked_to_case: 'Linked to a case our team already handles for the same issue',
  duplicate_linked: 'Another report of the same issue was linked to yours',
  staff_message: 'The security team wrote to you',
  credit_changed: 'You changed how we credit you',
};

/** A timeline entry in words; a status change names the new status. */
function eventLabel(event: { kind: string; detail: unknown }): string {
  if (event.kind === 'status_changed') {
    const to = (event.detail as { to?: unknown } | null)?.to;
    return `Status: ${reporterStatusSentences[String(to)] ?? String(to)}`;
  }
  return eventLabels[event.kind] ?? event.kind;
}

type StatusView = {
  token: string;
  report: {
    tracking_id: string;
    status: string;
    title: string;
    created_at: Date;
    product_name: string | null;
    product_text: string | null;
    credit: 'named' | 'anonymous';
    credit_name: string | null;
    credit_consent_at: Date | null;
  };
  events: { kind: string; detail: unknown; created_at: Date }[];
  messages: { id: string; author: string; body: string; created_at: Date }[];
  files: { message_id: string | null; file_name: string; size: number }[];
  replyErrors?: FieldErrors;
  replyBody?: string;
  creditErrors?: FieldErrors;
  /** What the reporter sent in the credit form, shown again when it was refused. */
  creditValues?: Record<string, string>;
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
<dt>Status</dt><dd id="report-status">${reporterStatusSentences[report.status] ?? report.status}</dd>
<dt>Title</dt><dd class="verbatim">${revealed(report.title)}</dd>
<dt>Product</dt><dd>${revealed(report.product_name ?? report.product_text ?? 'not given')}</dd>
<dt>Received</dt><dd>${when(report.created_at)}</dd>
</dl>
${filesOf(null).length > 0 ? html`<h2>Attachments</h2>${fileList(filesOf(null))}` : ''}
<h2>Timeline</h2>
<ol class="timeline">${view.events.map((e) => html`<li>${when(e.created_at)} ${eventLabel(e)}</li>`)}</ol>
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
${creditSection(view)}
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

/** How the reporter is credited, and a form to change it (no script needed). */
function creditSection(view: StatusView): Html {
  const { report } = view;
  const errors = view.creditErrors ?? {};
  const sent = view.creditValues;
  const credit = sent?.credit ?? report.credit;
  const name = sent ? (sent.creditName ?? '') : (report.credit_name ?? '');
  const current =
    report.credit === 'named' && report.credit_name
      ? html`You will be credited as <strong class="verbatim">${revealed(report.credit_name)}</strong>${
          report.credit_consent_at ? html` (you agreed on ${when(report.credit_consent_at)})` : ''
        }.`
      : html`You stay anonymous: we will not name you.`;
  const error = (field: string) =>
    errors[field] ? html`<p class="error" id="${field}-error">${errors[field]}</p>` : '';
  return html`<h2>Credit</h2>
<p id="credit-current">${current}</p>
<form method="post" action="/status/${view.token}/credit" novalidate>
<fieldset class="field${errors.credit ? ' invalid' : ''}"><legend>Credit in our advisory</legend>
<label class="choice"><input type="radio" name="credit" value="named"${credit === 'named' ? html` checked` : ''}> Credit me by name</label>
<label class="choice"><input type="radio" name="credit" value="anonymous"${credit === 'anonymous' ? html` checked` : ''}> Keep me anonymous</label>
${error('credit')}</fieldset>
<div class="field${errors.creditName ? ' invalid' : ''}"><label for="creditName">Name to print</label>
${errors.creditName ? html`<p class="error" id="creditName-error">Name ${errors.creditName}</p>` : ''}
<input type="text" id="creditName" name="creditName" maxlength="200" value="${name}"></div>
<div class="field${errors.creditConsent ? ' invalid' : ''}">
${errors.creditConsent ? html`<p class="error" id="creditConsent-error">The consent box ${errors.creditConsent}</p>` : ''}
<label class="choice"><input type="checkbox" id="creditConsent" name="creditConsent" value="yes"> I agree that this name is printed in the published advisory and on the acknowledgments page.</label></div>
<p><button type="submit">Save credit choice</button></p>
</form>`;
}
