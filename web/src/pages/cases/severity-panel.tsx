// Severity of a case: the CVSS vector as the server scored it, the calculator to change it, and the
// CWE id with its name.
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { API, api } from '../../api.ts';
import type { CaseDetail } from '../../types.ts';
import { ErrorBanner, Field, Loading, Notice, useAction } from '../../ui.tsx';
import { SeverityBadge } from './case-text.tsx';

// The calculator brings the scoring library (about 190 kB): loaded when someone opens it.
const CvssCalculator = lazy(() =>
  import('./cvss-calculator.tsx').then((m) => ({ default: m.CvssCalculator })),
);

export function SeverityPanel({
  item,
  writes,
  onSaved,
}: {
  item: CaseDetail;
  writes: boolean;
  onSaved: () => void;
}) {
  const cvss = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const [calculating, setCalculating] = useState(false);
  const saveVector = async (vector: string | null) => {
    setSaved(null);
    const answer = await cvss.run(() =>
      api<CaseDetail>('PATCH', `${API}/cases/${item.id}`, { cvssVector: vector }),
    );
    if (!answer) return;
    setSaved(
      answer.cvss
        ? `Saved. The server scored it ${answer.cvss.score.toFixed(1)} (${answer.cvss.severity}).`
        : 'The vector was removed.',
    );
    onSaved();
  };
  return (
    <div className="panel" id="case-severity">
      <h2>Severity</h2>
      {item.cvss ? (
        <dl className="facts">
          <dt>CVSS {item.cvss.version}</dt>
          <dd>
            <SeverityBadge severity={item.cvss.severity} score={item.cvss.score} />
          </dd>
          <dt>Vector</dt>
          <dd>
            <code id="case-cvss-vector">{item.cvss.vector}</code>
          </dd>
        </dl>
      ) : (
        <p className="empty">No CVSS vector yet.</p>
      )}
      {saved && <Notice>{saved}</Notice>}
      {writes && (
        <details className="edit" id="cvss-calculator" onToggle={(e) => setCalculating(e.currentTarget.open)}>
          <summary>CVSS calculator</summary>
          {cvss.error && <ErrorBanner error={cvss.error} />}
          {calculating && (
            <Suspense fallback={<Loading what="Loading the calculator…" />}>
              <CvssCalculator
                key={item.cvss?.vector ?? 'none'}
                initial={item.cvss?.vector ?? null}
                busy={cvss.busy}
                onSave={(vector) => void saveVector(vector)}
              />
            </Suspense>
          )}
        </details>
      )}
      <Weakness item={item} writes={writes} onSaved={onSaved} />
    </div>
  );
}

function Weakness({ item, writes, onSaved }: { item: CaseDetail; writes: boolean; onSaved: () => void }) {
  const [cwe, setCwe] = useState(item.cwe?.id ?? '');
  const { busy, error, run } = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const value = cwe.trim() || null;
    if (await run(() => api('PATCH', `${API}/cases/${item.id}`, { cweId: value }))) onSaved();
  };
  return (
    <>
      <h3>Weakness</h3>
      <p id="case-cwe">
        {item.cwe ? (
          <>
            <strong>{item.cwe.id}</strong>{' '}
            {item.cwe.name ?? <span className="muted">(no name known here)</span>}
          </>
        ) : (
          <span className="empty">No CWE yet.</span>
        )}
      </p>
      {writes && (
        <form onSubmit={save} className="inline-form">
          {error && <ErrorBanner error={error} />}
          <Field label="CWE id" hint="For example CWE-787; empty removes it" error={error?.fields.cweId}>
            {(p) => <input {...p} type="text" value={cwe} onChange={(e) => setCwe(e.target.value)} />}
          </Field>
          <button type="submit" className="secondary" disabled={busy}>
            {busy ? 'Saving…' : 'Save CWE'}
          </button>
        </form>
      )}
    </>
  );
}
