// Possible duplicates of a case (staff): the cases most like it with a score and the reasons, and, while
// the case is new or in triage, merging it into one of them (its reports move there, both reporters
// are told, and this case becomes a duplicate).
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../../api.ts';
import { Link, navigate } from '../../router.tsx';
import type { CaseDetail, SimilarCase } from '../../types.ts';
import { ErrorBanner, Field, Loaded, useAction, useResource } from '../../ui.tsx';
import { Revealed, stateLabels } from './case-text.tsx';

export function SimilarCases({ item, writes }: { item: CaseDetail; writes: boolean }) {
  const similar = useResource(
    () => get<{ items: SimilarCase[] }>(`${API}/cases/${item.id}/similar-cases`),
    `case-similar:${item.id}:${item.updatedAt}`,
  );
  const mergeable = writes && (item.state === 'new' || item.state === 'triage');
  return (
    <div className="panel" id="case-similar">
      <h2>Possible duplicates</h2>
      <Loaded resource={similar}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="empty">No other case looks like this one.</p>
          ) : (
            <ul className="plain similar-list">
              {items.map((c) => (
                <SimilarItem key={c.caseId} item={item} similar={c} mergeable={mergeable} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}

function SimilarItem({
  item,
  similar,
  mergeable,
}: {
  item: CaseDetail;
  similar: SimilarCase;
  mergeable: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const merge = async (event: FormEvent) => {
    event.preventDefault();
    const body = { intoCaseId: similar.caseId, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    const into = await run(() => api<CaseDetail>('POST', `${API}/cases/${item.id}/merge`, body));
    if (into) navigate(`/cases/${into.id}`);
  };
  return (
    <li>
      <Link to={`/cases/${encodeURIComponent(similar.caseId)}`}>
        <span className="case-number">{similar.number}</span> <Revealed text={similar.title} />
      </Link>
      <p className="muted small">
        {stateLabels[similar.state] ?? similar.state} · similarity {Math.round(similar.score * 100)}%
        {similar.reasons.length > 0 && ` · ${similar.reasons.join(', ')}`}
      </p>
      {mergeable && !confirming && (
        <button type="button" className="link-button" onClick={() => setConfirming(true)}>
          Merge this case into {similar.number}
        </button>
      )}
      {confirming && (
        <form onSubmit={merge}>
          {error && <ErrorBanner error={error} title="The case was not merged" />}
          <p>
            The reports of {item.number} move to {similar.number} as duplicates, both reporters are told, and{' '}
            {item.number} becomes a duplicate.
          </p>
          <Field label="Reason (optional)" hint={`Default: "Merged into ${similar.number}"`}>
            {(p) => <input {...p} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Merging…' : `Merge into ${similar.number}`}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
