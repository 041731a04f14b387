// The case's events, oldest first: when, who, what changed from what to what, and why. Suppliers get
// state moves only, without who or why (the API leaves them out).
import type { CaseDetail, CaseEvent, CaseState } from '../../types.ts';
import { formatDate } from '../../ui.tsx';
import { Revealed, stateLabels } from './case-text.tsx';

const kindLabels: Record<string, string> = {
  CASE_OPENED: 'Opened',
  REPORT_ATTACHED: 'Report attached',
  STATE_CHANGED: 'State',
  CASE_REOPENED: 'Reopened',
  TITLE_CHANGED: 'Title',
  SUMMARY_CHANGED: 'Summary',
  CVSS_CHANGED: 'CVSS',
  CWE_CHANGED: 'CWE',
  ASSIGNEE_CHANGED: 'Analyst',
  SUPPLIER_CHANGED: 'Supplier',
  AFFECTS_CHANGED: 'Affected models',
  FIX_AVAILABLE_AT_CHANGED: 'Fix available',
  DISCLOSED_AT_CHANGED: 'Disclosed',
  AGREED_DISCLOSURE_AT_CHANGED: 'Agreed disclosure date',
  ACTIVELY_EXPLOITED_SINCE_CHANGED: 'Actively exploited since',
  SEVERE_INCIDENT_SINCE_CHANGED: 'Severe incident since',
  CRA_REPORT_SUBMITTED_CHANGED: 'CRA report submitted',
  INTERNAL_NOTE_ADDED: 'Internal note',
  SUPPLIER_MESSAGE_POSTED: 'Supplier thread',
  FIX_MATERIAL_UPLOADED: 'Fix material uploaded',
  REPORTER_MESSAGE_SENT: 'Message to the reporter',
  SUPPLIER_ACKNOWLEDGED: 'Supplier acknowledged',
  CREDIT_CHANGED: 'Reporter credit',
  CASE_MERGED_INTO: 'Merged into',
  REPORTS_MERGED_IN: 'Reports merged in',
};

/** Events that record something that happened rather than a value that changed. */
const oneSided = new Set([
  'INTERNAL_NOTE_ADDED',
  'SUPPLIER_MESSAGE_POSTED',
  'FIX_MATERIAL_UPLOADED',
  'REPORTER_MESSAGE_SENT',
  'SUPPLIER_ACKNOWLEDGED',
  'CASE_MERGED_INTO',
  'REPORT_ATTACHED',
]);

type ModelNames = Map<string, string>;

/** An event's value as short text: a state by its label, a named thing by its name, else compact JSON. */
function valueText(value: unknown, models: ModelNames): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? 'none' : value.map((v) => valueText(v, models)).join('; ');
  const record = value as Record<string, unknown>;
  if (typeof record.state === 'string') return stateLabels[record.state as CaseState] ?? record.state;
  if (typeof record.name === 'string') return record.name;
  if (typeof record.vector === 'string') return record.vector;
  if (typeof record.versionRange === 'string') {
    const model = typeof record.modelId === 'string' ? (models.get(record.modelId) ?? 'A model') : 'A model';
    const fixed = typeof record.fixedIn === 'string' && record.fixedIn ? ` (fixed in ${record.fixedIn})` : '';
    return `${model} ${record.versionRange}${fixed}`;
  }
  if (typeof record.number === 'string') return record.number;
  if (typeof record.messageId === 'string') {
    const files = Array.isArray(record.files) ? record.files.map(String) : [];
    return files.length === 0 ? 'a message' : `a message with ${files.join(', ')}`;
  }
  // Anything else: its fields without internal ids, as "key: value".
  const parts = Object.entries(record)
    .filter(([key]) => !/id$|ids$/i.test(key))
    .map(([key, v]) => `${key}: ${valueText(v, models)}`);
  return parts.length > 0 ? parts.join(', ') : '—';
}

/** Long values (a rewritten summary) are cut in the timeline; the panel shows the whole text. */
const short = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

function EventRow({ event, models }: { event: CaseEvent; models: ModelNames }) {
  const from = short(valueText(event.from, models));
  const to = short(valueText(event.to, models));
  return (
    <li className="event">
      <p className="event-head">
        <time dateTime={event.at}>{formatDate(event.at)}</time>
        {event.actorLabel && (
          <>
            {' · '}
            <span className="event-actor">
              <Revealed text={event.actorLabel} />
            </span>
          </>
        )}
      </p>
      <p>
        <strong>{kindLabels[event.kind] ?? event.kind}</strong>{' '}
        {event.kind === 'CASE_OPENED' ? (
          <span>as {to}</span>
        ) : from === '—' && oneSided.has(event.kind) ? (
          <span className="event-change">
            <Revealed text={to} />
          </span>
        ) : (
          <span className="event-change">
            <Revealed text={from} /> <span aria-hidden="true">→</span>
            <span className="visually-hidden">to</span> <Revealed text={to} />
          </span>
        )}
      </p>
      {event.reason && (
        <p className="event-reason">
          Reason: <Revealed text={event.reason} />
        </p>
      )}
    </li>
  );
}

export function Timeline({ item }: { item: CaseDetail }) {
  const models: ModelNames = new Map(item.affects.map((a) => [a.modelId, a.modelName]));
  return (
    <div className="panel" id="case-timeline">
      <h2>Timeline</h2>
      {item.events.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <ol className="plain timeline">
          {item.events.map((event) => (
            <EventRow key={event.id} event={event} models={models} />
          ))}
        </ol>
      )}
    </div>
  );
}
