// A case's clocks (response and CRA): each with its deadline, its state and the time left, counted
// live; the CRA report drafts with a copy button; and, for staff who change cases, the dates the
// clocks run on (see docs/response-clocks.md).
import { type FormEvent, useEffect, useState } from 'react';
import { API, api } from '../../api.ts';
import type { CaseClock, CaseDetail, ClockState, CraDraft } from '../../types.ts';
import { ErrorBanner, formatDate, useAction } from '../../ui.tsx';
import { Pill } from '../../widgets.tsx';
import { timeLeft } from './case-text.tsx';

const clockStates: Record<ClockState, { label: string; tone: 'good' | 'bad' | 'warn' | 'plain' }> = {
  running: { label: 'Running', tone: 'plain' },
  overdue: { label: 'Overdue', tone: 'bad' },
  met: { label: 'Met', tone: 'good' },
  'met-late': { label: 'Met late', tone: 'warn' },
  'not-started': { label: 'Not started', tone: 'plain' },
};

/** Now, moving once a minute, so "time left" counts down while the page is open. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function Left({ clock, now }: { clock: CaseClock; now: number }) {
  if (clock.state === 'met' || clock.state === 'met-late') return <span>done {formatDate(clock.metAt)}</span>;
  if (clock.state === 'not-started' || !clock.dueAt) return <span className="muted">{clock.startsWhen}</span>;
  const left = timeLeft(clock.dueAt, now);
  return <strong className={left.overdue ? 'overdue-text' : ''}>{left.text}</strong>;
}

export function ClocksPanel({
  item,
  writes,
  onSaved,
}: {
  item: CaseDetail;
  writes: boolean;
  onSaved: () => void;
}) {
  const now = useNow();
  return (
    <div className="panel" id="case-clocks">
      <h2>Clocks</h2>
      {item.clocks.length === 0 ? (
        <p className="empty">No clock runs for this case.</p>
      ) : (
        <ul className="plain clocks">
          {item.clocks.map((clock) => {
            const state = clockStates[clock.state];
            return (
              <li key={clock.key} className={`clock clock-${clock.state}`}>
                <div className="clock-head">
                  <span className="clock-label">{clock.label}</span>
                  <Pill tone={state.tone}>{state.label}</Pill>
                </div>
                <div className="clock-facts">
                  <span>
                    Due {clock.dueAt ? <time dateTime={clock.dueAt}>{formatDate(clock.dueAt)}</time> : '—'}
                  </span>
                  <Left clock={clock} now={now} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {item.craDrafts && item.craDrafts.length > 0 && (
        <CraDrafts item={item} drafts={item.craDrafts} writes={writes} onSaved={onSaved} />
      )}
      {writes && <ClockDates item={item} onSaved={onSaved} />}
    </div>
  );
}

function CraDrafts({
  item,
  drafts,
  writes,
  onSaved,
}: {
  item: CaseDetail;
  drafts: CraDraft[];
  writes: boolean;
  onSaved: () => void;
}) {
  return (
    <div className="cra-drafts">
      <h3>CRA report drafts</h3>
      {drafts.map((draft) => (
        <CraDraftView key={draft.report} item={item} draft={draft} writes={writes} onSaved={onSaved} />
      ))}
    </div>
  );
}

function CraDraftView({
  item,
  draft,
  writes,
  onSaved,
}: {
  item: CaseDetail;
  draft: CraDraft;
  writes: boolean;
  onSaved: () => void;
}) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const { busy, error, run } = useAction();
  const submittedAt = item.dates.craReportsSubmittedAt[draft.report];
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(draft.text);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  const markSubmitted = async (value: string | null) => {
    const body = { craReportsSubmittedAt: { [draft.report]: value } };
    if (await run(() => api('PATCH', `${API}/cases/${item.id}`, body))) onSaved();
  };
  return (
    <details className="cra-draft">
      <summary>
        {draft.title} <span className="muted">({draft.article})</span>
        {!draft.complete && ' · to be completed'}
      </summary>
      <p className="small">
        Due {formatDate(draft.dueAt)}
        {submittedAt ? ` · submitted ${formatDate(submittedAt)}` : ''}
      </p>
      <pre className="draft-text">{draft.text}</pre>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy text
        </button>
        <span role="status" className="small">
          {copied === 'yes'
            ? 'Copied to the clipboard.'
            : copied === 'no'
              ? 'Copying failed: select the text.'
              : ''}
        </span>
        {writes &&
          (submittedAt ? (
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => void markSubmitted(null)}
            >
              Unmark submitted
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void markSubmitted(new Date().toISOString())}
            >
              Mark submitted now
            </button>
          ))}
      </div>
    </details>
  );
}

const dateFields = [
  ['activelyExploitedSince', 'Aware of active exploitation since', 'Starts the CRA vulnerability clocks'],
  ['severeIncidentSince', 'Aware of a severe incident since', 'Starts the CRA incident clocks'],
  ['fixAvailableAt', 'Fix or mitigation available', 'Meets the fix clock'],
  ['agreedDisclosureAt', 'Disclosure date agreed with the reporter', 'Moves the disclosure deadline'],
  ['disclosedAt', 'Disclosed', 'Meets the disclosure clock'],
] as const;
type DateKey = (typeof dateFields)[number][0];

/** An ISO instant as the value of a datetime-local input (local time, minutes). */
function localInput(value: string | null): string {
  if (!value) return '';
  const date = new Date(value);
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

function ClockDates({ item, onSaved }: { item: CaseDetail; onSaved: () => void }) {
  const initial = () =>
    Object.fromEntries(dateFields.map(([key]) => [key, localInput(item.dates[key])])) as Record<
      DateKey,
      string
    >;
  const [values, setValues] = useState(initial);
  const { busy, error, run } = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, string | null> = {};
    for (const [key] of dateFields) {
      if (values[key] === localInput(item.dates[key])) continue;
      changes[key] = values[key] ? new Date(values[key]).toISOString() : null;
    }
    if (Object.keys(changes).length === 0) return;
    if (await run(() => api('PATCH', `${API}/cases/${item.id}`, changes))) onSaved();
  };
  return (
    <details className="edit">
      <summary>Dates the clocks run on</summary>
      <form onSubmit={save}>
        {error && <ErrorBanner error={error} />}
        {dateFields.map(([key, label, hint]) => (
          <div className={error?.fields[key] ? 'field invalid' : 'field'} key={key}>
            <label htmlFor={`date-${key}`}>{label}</label>
            <p className="hint">{hint}. Your local time.</p>
            <input
              id={`date-${key}`}
              type="datetime-local"
              value={values[key]}
              onChange={(e) => setValues({ ...values, [key]: e.target.value })}
            />
          </div>
        ))}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save dates'}
        </button>
      </form>
    </details>
  );
}
