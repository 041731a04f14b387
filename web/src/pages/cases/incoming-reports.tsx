// Incoming reports no case holds yet: read one in full, see the cases it may repeat, and open a case
// from it or attach it to an existing case as a duplicate. Every field is the reporter's own text.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../../api.ts';
import { Link, navigate } from '../../router.tsx';
import { useUser } from '../../session.tsx';
import type { CaseDetail, CaseSummary, IncomingReport, List, SimilarCase, StaffReport } from '../../types.ts';
import { asApiError, ErrorBanner, Field, formatDate, Loaded, useAction, useResource } from '../../ui.tsx';
import { Pill } from '../../widgets.tsx';
import { Revealed, revealedText, stateLabels, writesCases as writes } from './case-text.tsx';

export function IncomingReports() {
  const reports = useResource(() => get<List<IncomingReport>>(`${API}/reports?limit=100`), 'incoming');
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Loaded resource={reports}>
      {(list) =>
        list.items.length === 0 ? (
          <p className="empty">No incoming reports: every report is in a case.</p>
        ) : (
          <ul className="plain report-queue" id="incoming-reports">
            {list.items.map((report) => (
              <li key={report.id} className="panel">
                <div className="report-head">
                  <div>
                    <code>{report.trackingId}</code>{' '}
                    <strong>
                      <Revealed text={report.title} />
                    </strong>
                    <p className="muted small">
                      Received {formatDate(report.receivedAt)} by {report.source}
                      {' · '}
                      {report.product ? (
                        <Revealed text={report.product.name} />
                      ) : report.productText ? (
                        <Revealed text={report.productText} />
                      ) : (
                        'no product named'
                      )}
                      {report.encrypted && ' · '}
                      {report.encrypted && <Pill tone="warn">encrypted</Pill>}
                    </p>
                  </div>
                  <button
                    type="button"
                    className="secondary"
                    aria-expanded={open === report.id}
                    onClick={() => setOpen(open === report.id ? null : report.id)}
                  >
                    {open === report.id ? 'Close' : 'Review'}
                    <span className="visually-hidden"> {report.trackingId}</span>
                  </button>
                </div>
                {open === report.id && <ReportReview reportId={report.id} onDone={reports.reload} />}
              </li>
            ))}
          </ul>
        )
      }
    </Loaded>
  );
}

/** One report in full, with the reporter's fields as plain text. Used here and on the case page. */
export function ReportFields({ report }: { report: StaffReport }) {
  const text = (value: string | null) =>
    value ? (
      <div className="verbatim">
        <Revealed text={value} />
      </div>
    ) : (
      '—'
    );
  const credit =
    report.credit === 'anonymous'
      ? 'Anonymous (the reporter asked not to be named)'
      : report.creditName || report.reporterName || 'By name, no name given';
  return (
    <dl className="facts report-fields">
      <dt>Title</dt>
      <dd>
        <Revealed text={report.title} />
      </dd>
      <dt>Product</dt>
      <dd>
        {report.product ? <Revealed text={report.product.name} /> : '—'}
        {report.productText && (
          <>
            {' '}
            (<Revealed text={report.productText} />)
          </>
        )}
      </dd>
      <dt>Version</dt>
      <dd>{report.version ? <Revealed text={report.version} /> : '—'}</dd>
      <dt>Description</dt>
      <dd>
        {report.decryptionError ? (
          <span className="error">Could not decrypt: {report.decryptionError}</span>
        ) : (
          text(report.description)
        )}
      </dd>
      <dt>Steps</dt>
      <dd>{text(report.stepsToReproduce)}</dd>
      <dt>Impact</dt>
      <dd>{text(report.impact)}</dd>
      <dt>CVSS (reporter)</dt>
      <dd>{report.cvssVector ? <Revealed text={report.cvssVector} /> : '—'}</dd>
      <dt>Reporter</dt>
      <dd>
        {report.reporterName ? <Revealed text={report.reporterName} /> : 'No name given'}
        {report.reporterEmail && (
          <>
            {' · '}
            <Revealed text={report.reporterEmail} />
          </>
        )}
      </dd>
      <dt>Credit</dt>
      <dd>
        <Revealed text={credit} />
      </dd>
      <dt>Disclosure wish</dt>
      <dd>{report.preferredDisclosureDate ? <Revealed text={report.preferredDisclosureDate} /> : '—'}</dd>
    </dl>
  );
}

type Similar = { state: 'none' } | { state: 'ready'; items: SimilarCase[] };

/** Similar cases, or "none" while the server has no such route (404 from the router). */
async function similarCases(reportId: string): Promise<Similar> {
  try {
    const answer = await get<{ items: SimilarCase[] }>(`${API}/reports/${reportId}/similar-cases`);
    return { state: 'ready', items: answer.items };
  } catch (error) {
    const failed = asApiError(error);
    if (failed.status === 404) return { state: 'none' };
    throw failed;
  }
}

function ReportReview({ reportId, onDone }: { reportId: string; onDone: () => void }) {
  const user = useUser();
  const report = useResource(() => get<StaffReport>(`${API}/reports/${reportId}`), `report:${reportId}`);
  const similar = useResource(() => similarCases(reportId), `similar:${reportId}`);
  return (
    <div className="report-review">
      <Loaded resource={report}>{(r) => <ReportFields report={r} />}</Loaded>
      {similar.state === 'error' && (
        <ErrorBanner error={similar.error} title="Similar cases could not be loaded" />
      )}
      {similar.state === 'ready' && similar.data.state === 'ready' && (
        <SimilarList items={similar.data.items} />
      )}
      {writes(user) && report.state === 'ready' && (
        <Decide
          report={report.data}
          suggestions={similar.state === 'ready' && similar.data.state === 'ready' ? similar.data.items : []}
          onDone={onDone}
        />
      )}
    </div>
  );
}

function SimilarList({ items }: { items: SimilarCase[] }) {
  return (
    <div className="similar" id="similar-cases">
      <h3>Similar cases</h3>
      {items.length === 0 ? (
        <p className="empty">No open or recent case looks like this report.</p>
      ) : (
        <ul className="plain">
          {items.map((c) => (
            <li key={c.caseId}>
              <Link to={`/cases/${encodeURIComponent(c.caseId)}`}>
                {c.number} <Revealed text={c.title} />
              </Link>{' '}
              <span className="muted">
                {stateLabels[c.state] ?? c.state} · similarity {Math.round(c.score * 100)}%
                {c.reasons.length > 0 && ' · '}
                {c.reasons.join(', ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Decide({
  report,
  suggestions,
  onDone,
}: {
  report: StaffReport;
  suggestions: SimilarCase[];
  onDone: () => void;
}) {
  const [title, setTitle] = useState(report.title);
  const [target, setTarget] = useState(suggestions[0]?.caseId ?? '');
  const recent = useResource(
    () => get<List<CaseSummary>>(`${API}/cases?limit=100`),
    `attach-choices:${report.id}`,
  );
  const opening = useAction();
  const attaching = useAction();
  const openCase = async (event: FormEvent) => {
    event.preventDefault();
    const created = await opening.run(() =>
      api<CaseDetail>('POST', `${API}/cases`, { reportId: report.id, title: title.trim() || undefined }),
    );
    if (created) navigate(`/cases/${created.id}`);
  };
  const attach = async (event: FormEvent) => {
    event.preventDefault();
    const done = await attaching.run(() =>
      api<CaseDetail>('POST', `${API}/cases/${target}/reports`, { reportId: report.id }),
    );
    if (done) {
      onDone();
      navigate(`/cases/${done.id}`);
    }
  };
  const choices = [
    ...suggestions.map((s) => ({ id: s.caseId, label: `${s.number} (similar) ${revealedText(s.title)}` })),
    ...(recent.state === 'ready'
      ? recent.data.items
          .filter((c) => !suggestions.some((s) => s.caseId === c.id))
          .map((c) => ({ id: c.id, label: `${c.number} ${revealedText(c.title)}` }))
      : []),
  ];
  return (
    <div className="grid-2 decide">
      <form onSubmit={openCase}>
        <h3>Open a case</h3>
        {opening.error && <ErrorBanner error={opening.error} />}
        <Field
          label="Case title"
          hint="The report's title unless you write a clearer one"
          error={opening.error?.fields.title}
        >
          {(p) => <input {...p} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <button type="submit" disabled={opening.busy}>
          {opening.busy ? 'Opening…' : 'Open a case'}
        </button>
      </form>
      <form onSubmit={attach}>
        <h3>Attach to a case</h3>
        {attaching.error && <ErrorBanner error={attaching.error} />}
        <Field label="Case it repeats" hint="Both reports are kept and both reporters are told">
          {(p) => (
            <select {...p} value={target} onChange={(e) => setTarget(e.target.value)} required>
              <option value="">Choose a case…</option>
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="secondary" disabled={attaching.busy || !target}>
          {attaching.busy ? 'Attaching…' : 'Attach as duplicate'}
        </button>
      </form>
    </div>
  );
}
