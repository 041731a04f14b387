// The three conversations of a case, as tabs: with the reporter (one thread per report), with the
// supplier, and internal notes. Each has its messages and a compose box with attachments. Message
// bodies are the writer's own text: shown as text, line breaks kept, never as markup.
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { API, get, type UploadProgress, upload } from '../../api.ts';
import type { User } from '../../session.tsx';
import type { CaseDetail, CaseMessage } from '../../types.ts';
import { ErrorBanner, Field, formatBytes, formatDate, Loaded, useAction, useResource } from '../../ui.tsx';
import { Revealed, revealedText, writesCases } from './case-text.tsx';

type Tab = 'reporter' | 'supplier' | 'internal';
const tabLabels: Record<Tab, string> = {
  reporter: 'Reporter',
  supplier: 'Supplier',
  internal: 'Internal notes',
};

const enc = encodeURIComponent;

/** Where a thread's messages and files live in the API. */
type ThreadAddress = { messages: string; file: (fileId: string) => string; kind: Tab };

function tabsFor(user: User, item: CaseDetail): Tab[] {
  if (user.role === 'supplier') return ['supplier'];
  return (item.reports?.length ?? 0) > 0 ? ['reporter', 'supplier', 'internal'] : ['supplier', 'internal'];
}

export function Threads({ item, user }: { item: CaseDetail; user: User }) {
  const tabs = tabsFor(user, item);
  const [active, setActive] = useState<Tab>(tabs[0] ?? 'supplier');
  const id = useId();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (index + step + tabs.length) % tabs.length;
    const tab = tabs[next];
    if (tab) setActive(tab);
    buttons.current[next]?.focus();
  };
  return (
    <div className="panel" id="case-threads">
      <h2>Conversation</h2>
      <div role="tablist" aria-label="Threads" className="tabs">
        {tabs.map((tab, index) => (
          <button
            key={tab}
            ref={(el) => {
              buttons.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${tab}`}
            aria-selected={active === tab}
            aria-controls={`${id}-panel-${tab}`}
            tabIndex={active === tab ? 0 : -1}
            className={active === tab ? 'tab active' : 'tab'}
            onClick={() => setActive(tab)}
            onKeyDown={(e) => onKey(e, index)}
          >
            {tabLabels[tab]}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel-${active}`}
        aria-labelledby={`${id}-tab-${active}`}
        className="tab-panel"
      >
        {active === 'reporter' ? (
          <ReporterThreads item={item} user={user} />
        ) : (
          <Thread
            key={active}
            user={user}
            address={{
              kind: active,
              messages: `${API}/cases/${enc(item.id)}/threads/${active}`,
              file: (fileId) => `${API}/cases/${enc(item.id)}/threads/${active}/files/${enc(fileId)}`,
            }}
            intro={
              active === 'supplier'
                ? item.supplier || user.role === 'supplier'
                  ? `Seen by the maker's team and ${item.supplier ? revealedText(item.supplier.name) : 'your company'}'s users.`
                  : 'No supplier is assigned: assign one to bring them into this thread.'
                : 'Only the maker’s staff see these notes.'
            }
          />
        )}
      </div>
    </div>
  );
}

function ReporterThreads({ item, user }: { item: CaseDetail; user: User }) {
  const reports = item.reports ?? [];
  const [reportId, setReportId] = useState(reports[0]?.id ?? '');
  const report = reports.find((r) => r.id === reportId);
  return (
    <>
      {reports.length > 1 && (
        <Field label="Conversation about report">
          {(p) => (
            <select {...p} value={reportId} onChange={(e) => setReportId(e.target.value)}>
              {reports.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.trackingId} {r.reporterName ? `· ${revealedText(r.reporterName)}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {report && (
        <Thread
          key={report.id}
          user={user}
          address={{
            kind: 'reporter',
            messages: `${API}/cases/${enc(item.id)}/reports/${enc(report.id)}/messages`,
            file: (fileId) => `${API}/cases/${enc(item.id)}/reports/${enc(report.id)}/files/${enc(fileId)}`,
          }}
          intro={`The reporter of ${report.trackingId} reads these on their status page and gets a mail for each.`}
        />
      )}
    </>
  );
}

function Thread({ user, address, intro }: { user: User; address: ThreadAddress; intro: string }) {
  const messages = useResource(() => get<{ items: CaseMessage[] }>(address.messages), address.messages);
  const mayWrite = writesCases(user) || (user.role === 'supplier' && address.kind === 'supplier');
  return (
    <div className={`thread thread-${address.kind}`}>
      <p className="hint">{intro}</p>
      <Loaded resource={messages}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="empty">No messages yet.</p>
          ) : (
            <ol className="plain messages">
              {list.items.map((m) => (
                <Message key={m.id} message={m} address={address} />
              ))}
            </ol>
          )
        }
      </Loaded>
      {mayWrite && <Compose address={address} onSent={messages.reload} />}
    </div>
  );
}

function Message({ message, address }: { message: CaseMessage; address: ThreadAddress }) {
  return (
    <li className={`message author-${message.author.kind}`}>
      <p className="message-head">
        <strong className="message-author">
          <Revealed text={message.author.label} />
        </strong>{' '}
        <time dateTime={message.createdAt}>{formatDate(message.createdAt)}</time>
      </p>
      {message.body && (
        <div className="verbatim message-body">
          <Revealed text={message.body} />
        </div>
      )}
      {message.files.length > 0 && (
        <ul className="files">
          {message.files.map((file) => (
            <li key={file.id}>
              <a href={address.file(file.id)} rel="noreferrer" download>
                <Revealed text={file.fileName} />
              </a>{' '}
              <span className="muted small">
                {formatBytes(file.size)}
                {file.purpose === 'fix-material' && ' · fix material'} · SHA-256{' '}
                <code title={file.sha256}>{file.sha256.slice(0, 12)}…</code>
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Compose({ address, onSent }: { address: ThreadAddress; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [fixMaterial, setFixMaterial] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const files = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction();
  const send = async (event: FormEvent) => {
    event.preventDefault();
    const form = new FormData();
    form.append('body', body);
    if (address.kind === 'supplier' && fixMaterial) form.append('purpose', 'fix-material');
    for (const file of files.current?.files ?? []) form.append('attachments', file, file.name);
    const sent = await run(() => upload<CaseMessage>('POST', address.messages, form, null, setProgress));
    setProgress(null);
    if (sent) {
      setBody('');
      setFixMaterial(false);
      if (files.current) files.current.value = '';
      onSent();
    }
  };
  return (
    <form className="compose" onSubmit={send}>
      {error && <ErrorBanner error={error} title="The message was not sent" />}
      <Field label={address.kind === 'internal' ? 'Note' : 'Message'} error={error?.fields.body}>
        {(p) => <textarea {...p} rows={4} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <Field label="Attachments" error={error?.fields.attachments}>
        {(p) => <input {...p} ref={files} type="file" multiple />}
      </Field>
      {address.kind === 'supplier' && (
        <label className="check">
          <input type="checkbox" checked={fixMaterial} onChange={(e) => setFixMaterial(e.target.checked)} />
          The attachments are fix material (patches, fixed firmware)
        </label>
      )}
      {progress && progress.total > 0 && (
        <progress max={progress.total} value={progress.loaded} aria-label="Upload progress" />
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : address.kind === 'internal' ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
