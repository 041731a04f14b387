// One case: title and summary, the workflow's next moves, clocks, severity, who works on it, what it
// affects, its reports, the three conversation threads and the event timeline. What is shown follows
// the role: auditors read only, suppliers get the reduced view the API gives them.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../../api.ts';
import { useTitle } from '../../router.tsx';
import { type User, useUser } from '../../session.tsx';
import type { CaseDetail, CaseState } from '../../types.ts';
import { ErrorBanner, Field, formatDate, Loaded, useAction, useResource } from '../../ui.tsx';
import { Breadcrumbs } from '../../widgets.tsx';
import { AffectsPanel } from './affects-editor.tsx';
import { CaseReports } from './case-reports.tsx';
import {
  isStaff,
  mixesScripts,
  moveNeedsReason,
  nextMoves,
  Revealed,
  revealedText,
  SeverityBadge,
  stateLabels,
  writesCases,
} from './case-text.tsx';
import { ClocksPanel } from './clocks-panel.tsx';
import { CoveragePanel } from './coverage-panel.tsx';
import { PeoplePanel } from './people-panel.tsx';
import { SeverityPanel } from './severity-panel.tsx';
import { SimilarCases } from './similar-cases.tsx';
import { Threads } from './threads.tsx';
import { Timeline } from './timeline.tsx';
import './cases.css';

export function CasePage({ caseId }: { caseId: string }) {
  const user = useUser();
  const found = useResource(() => get<CaseDetail>(`${API}/cases/${caseId}`), `case:${caseId}`);
  useTitle(found.state === 'ready' ? `${found.data.number} ${revealedText(found.data.title)}` : 'Case');
  return (
    <section className="case-page">
      <Breadcrumbs trail={[{ to: '/cases', label: 'Cases' }]} />
      <Loaded resource={found}>{(c) => <CaseBody item={c} user={user} reload={found.reload} />}</Loaded>
    </section>
  );
}

function CaseBody({ item, user, reload }: { item: CaseDetail; user: User; reload: () => void }) {
  const writes = writesCases(user);
  return (
    <>
      <header className="case-head">
        <p className="case-number">{item.number}</p>
        <h1 id="case-title">
          <Revealed text={item.title} />
        </h1>
        <p className="case-badges">
          <span className={`state state-${item.state}`}>{stateLabels[item.state]}</span>
          <SeverityBadge severity={item.severity} score={item.cvssScore} />
          {mixesScripts(item.title) && (
            <span className="pill warn" title="Latin mixed with Greek or Cyrillic letters that look alike">
              Title mixes alphabets
            </span>
          )}
          {item.cwe && (
            <span className="muted">
              {item.cwe.id}
              {item.cwe.name && ` ${item.cwe.name}`}
            </span>
          )}
          <span className="muted">Opened {formatDate(item.createdAt)}</span>
        </p>
      </header>
      {writes && <StateMoves item={item} onMoved={reload} />}
      {user.role === 'supplier' && <SupplierAcknowledgement item={item} onDone={reload} />}
      <div className="case-layout">
        <div className="case-main">
          <SummaryPanel item={item} writes={writes} onSaved={reload} />
          {isStaff(user) && <CaseReports item={item} />}
          {isStaff(user) && <SimilarCases item={item} writes={writes} />}
          <Threads item={item} user={user} />
          <Timeline item={item} />
        </div>
        <aside className="case-side" aria-label="Case facts">
          <ClocksPanel item={item} writes={writes} onSaved={reload} />
          <SeverityPanel item={item} writes={writes} onSaved={reload} />
          <PeoplePanel item={item} user={user} onSaved={reload} />
          <AffectsPanel item={item} writes={writes} onSaved={reload} />
          {isStaff(user) && <CoveragePanel key={JSON.stringify(item.affects)} caseId={item.id} />}
        </aside>
      </div>
    </>
  );
}

/** The moves the workflow allows from here, as buttons; a move that needs a reason asks for one. */
function StateMoves({ item, onMoved }: { item: CaseDetail; onMoved: () => void }) {
  const [chosen, setChosen] = useState<CaseState | null>(null);
  const [reason, setReason] = useState('');
  const { busy, error, run, clear } = useAction();
  const move = async (to: CaseState, why?: string) => {
    const done = await run(() =>
      api<CaseDetail>('POST', `${API}/cases/${item.id}/transitions`, why ? { to, reason: why } : { to }),
    );
    if (done) {
      setChosen(null);
      setReason('');
      onMoved();
    }
  };
  const pick = (to: CaseState) => {
    clear();
    if (moveNeedsReason(item.state, to)) setChosen(to);
    else void move(to);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) void move(chosen, reason);
  };
  const moves = nextMoves(item.state);
  return (
    <div className="panel state-moves" id="state-moves">
      <h2 className="inline-heading">Move to</h2>
      <div className="actions">
        {moves.map((to) => (
          <button
            key={to}
            type="button"
            className={chosen === to ? '' : 'secondary'}
            aria-pressed={chosen === to}
            disabled={busy}
            onClick={() => pick(to)}
          >
            {stateLabels[to]}
          </button>
        ))}
      </div>
      {error && <ErrorBanner error={error} title="The case did not move" />}
      {chosen && (
        <form onSubmit={submit}>
          <Field
            label={`Why ${chosen === 'triage' ? 'reopen it' : `is it ${stateLabels[chosen].toLowerCase()}`}?`}
            hint="Kept in the timeline"
            error={error?.fields.reason}
          >
            {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Moving…' : `Move to ${stateLabels[chosen]}`}
            </button>
            <button type="button" className="secondary" onClick={() => setChosen(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function SummaryPanel({ item, writes, onSaved }: { item: CaseDetail; writes: boolean; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(item.title);
  const [summary, setSummary] = useState(item.summary);
  const { busy, error, run } = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, string> = {};
    if (title !== item.title) changes.title = title;
    if (summary !== item.summary) changes.summary = summary;
    if (Object.keys(changes).length === 0) return setEditing(false);
    if (await run(() => api('PATCH', `${API}/cases/${item.id}`, changes))) {
      setEditing(false);
      onSaved();
    }
  };
  return (
    <div className="panel" id="case-summary">
      <h2>Summary</h2>
      {!editing ? (
        <>
          {item.summary ? (
            <div className="verbatim">
              <Revealed text={item.summary} />
            </div>
          ) : (
            <p className="empty">No summary written yet.</p>
          )}
          {writes && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setTitle(item.title);
                setSummary(item.summary);
                setEditing(true);
              }}
            >
              Edit title and summary
            </button>
          )}
        </>
      ) : (
        <form onSubmit={save}>
          {error && <ErrorBanner error={error} />}
          <Field label="Title" error={error?.fields.title}>
            {(p) => (
              <input {...p} type="text" required value={title} onChange={(e) => setTitle(e.target.value)} />
            )}
          </Field>
          <Field label="Summary" hint="What it is, in the team's words" error={error?.fields.summary}>
            {(p) => <textarea {...p} rows={6} value={summary} onChange={(e) => setSummary(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** A supplier confirms it has seen the case (POST …/supplier-acknowledgement). */
function SupplierAcknowledgement({ item, onDone }: { item: CaseDetail; onDone: () => void }) {
  const { busy, error, run } = useAction();
  const acknowledged = item.supplierAcknowledgedAt;
  const acknowledge = async () => {
    if (await run(() => api('POST', `${API}/cases/${item.id}/supplier-acknowledgement`, {}))) onDone();
  };
  return (
    <div className="panel" id="supplier-acknowledgement">
      {acknowledged ? (
        <p>You acknowledged this case on {formatDate(acknowledged)}.</p>
      ) : (
        <>
          <p>Let the maker's security team know you have seen this case.</p>
          {error && <ErrorBanner error={error} />}
          <button type="button" disabled={busy} onClick={() => void acknowledge()}>
            {busy ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        </>
      )}
    </div>
  );
}
