// One contract safeguard of the checklist: status, date, terms, its evidence and the forms to change them.
import { type FormEvent, useState } from 'react';
import { API, type ApiError, api, upload } from '../../api.ts';
import { can, type User } from '../../session.tsx';
import type { ChecklistItem, SafeguardStatus } from '../../types.ts';
import { asApiError, ErrorBanner, Field, formatDate, Notice, useAction } from '../../ui.tsx';
import { Pill } from '../../widgets.tsx';

const statusLabels: Record<SafeguardStatus, string> = {
  missing: 'Missing',
  requested: 'Requested',
  agreed: 'Agreed',
  verified: 'Verified',
  'not-applicable': 'Not applicable',
};

const statusTone = (status: SafeguardStatus) =>
  status === 'agreed' || status === 'verified'
    ? 'good'
    : status === 'not-applicable'
      ? 'plain'
      : status === 'requested'
        ? 'warn'
        : 'bad';

export function SafeguardEntry({
  supplierId,
  entry,
  user,
  onChanged,
}: {
  supplierId: string;
  entry: ChecklistItem;
  user: User;
  onChanged: () => void;
}) {
  const mayEvidence = can.editChecklist(user) || (user.role === 'supplier' && user.supplierId === supplierId);
  return (
    <article className={`panel safeguard status-${entry.status}`} aria-labelledby={`sg-${entry.key}`}>
      <div className="page-head">
        <h3 id={`sg-${entry.key}`}>{entry.title}</h3>
        <Pill tone={statusTone(entry.status)}>{statusLabels[entry.status]}</Pill>
      </div>
      <p className="hint">{entry.explanation}</p>
      <dl className="facts">
        {entry.daysTerm && (
          <>
            <dt>{entry.daysTerm.label}</dt>
            <dd>{entry.termsDays ?? '—'}</dd>
          </>
        )}
        <dt>Date</dt>
        <dd>{formatDate(entry.date)}</dd>
        <dt>Evidence</dt>
        <dd>
          <Evidence entry={entry} />
        </dd>
        {entry.note && (
          <>
            <dt>Note</dt>
            <dd>{entry.note}</dd>
          </>
        )}
        {entry.updatedBy && (
          <>
            <dt>Last change</dt>
            <dd>
              {formatDate(entry.updatedAt)} by {entry.updatedBy}
            </dd>
          </>
        )}
      </dl>
      {can.editChecklist(user) && <SafeguardForm supplierId={supplierId} entry={entry} onSaved={onChanged} />}
      {mayEvidence && <EvidenceUpload supplierId={supplierId} itemKey={entry.key} onUploaded={onChanged} />}
    </article>
  );
}

function Evidence({ entry }: { entry: ChecklistItem }) {
  const { evidenceUrl, evidenceFile } = entry;
  if (!evidenceUrl && !evidenceFile) return <>—</>;
  return (
    <ul className="plain">
      {evidenceUrl && (
        <li>
          <a href={evidenceUrl} rel="noreferrer noopener" target="_blank">
            {evidenceUrl}
          </a>
        </li>
      )}
      {evidenceFile && (
        <li>
          <a href={evidenceFile.downloadUrl} download>
            {evidenceFile.fileName}
          </a>
        </li>
      )}
    </ul>
  );
}

function SafeguardForm({
  supplierId,
  entry,
  onSaved,
}: {
  supplierId: string;
  entry: ChecklistItem;
  onSaved: () => void;
}) {
  const [status, setStatus] = useState<SafeguardStatus>(entry.status);
  const [termsDays, setTermsDays] = useState(entry.termsDays === null ? '' : String(entry.termsDays));
  const [date, setDate] = useState(entry.date ?? '');
  const [evidenceUrl, setEvidenceUrl] = useState(entry.evidenceUrl ?? '');
  const [note, setNote] = useState(entry.note);
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      status,
      ...(entry.daysTerm ? { termsDays: termsDays === '' ? null : Number(termsDays) } : {}),
      date: date || null,
      evidenceUrl: evidenceUrl.trim() || null,
      note,
    };
    if (await run(() => api('PUT', `${API}/suppliers/${supplierId}/safeguards/${entry.key}`, body)))
      onSaved();
  };
  const f = error?.fields ?? {};
  return (
    <details className="edit">
      <summary>Change status</summary>
      <p className="hint">Agreed means: {entry.agreedMeans}</p>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <div className="grid-2">
          <Field label="Status" error={f.status}>
            {(p) => (
              <select {...p} value={status} onChange={(e) => setStatus(e.target.value as SafeguardStatus)}>
                {Object.entries(statusLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Date" hint="The day it was requested, agreed or verified" error={f.date}>
            {(p) => <input {...p} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
          </Field>
          {entry.daysTerm && (
            <Field
              label={entry.daysTerm.label}
              hint={`Suggested: ${entry.daysTerm.suggested}`}
              error={f.termsDays}
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  max={3650}
                  value={termsDays}
                  onChange={(e) => setTermsDays(e.target.value)}
                />
              )}
            </Field>
          )}
          <Field
            label="Evidence link"
            hint="e.g. the signed contract in your document store"
            error={f.evidenceUrl}
          >
            {(p) => (
              <input {...p} type="url" value={evidenceUrl} onChange={(e) => setEvidenceUrl(e.target.value)} />
            )}
          </Field>
        </div>
        <Field label="Note" hint="Required when not applicable: say why" error={f.note}>
          {(p) => <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save safeguard'}
        </button>
      </form>
    </details>
  );
}

function EvidenceUpload({
  supplierId,
  itemKey,
  onUploaded,
}: {
  supplierId: string;
  itemKey: string;
  onUploaded: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      await upload(
        'POST',
        `${API}/suppliers/${supplierId}/safeguards/${itemKey}/evidence`,
        form,
        null,
        () => {},
      );
      setDone(file.name);
      setFile(null);
      onUploaded();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="edit">
      <summary>Add an evidence file</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} title="The file was refused" />}
        {done && <Notice>{done} is attached.</Notice>}
        <Field label="Evidence file" hint="A signed contract, an audit report, a letter (PDF or image)">
          {(p) => <input {...p} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        <button type="submit" disabled={!file || busy}>
          {busy ? 'Uploading…' : 'Attach file'}
        </button>
      </form>
    </details>
  );
}
