// Who works on a case: the analyst it is assigned to and the supplier pulled in. Staff who change
// cases pick them (from every enabled admin and analyst); others read them.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../../api.ts';
import type { User } from '../../session.tsx';
import type { CaseDetail, Named, Supplier } from '../../types.ts';
import { ErrorBanner, Field, useAction, useResource } from '../../ui.tsx';
import { Revealed, revealedText, writesCases } from './case-text.tsx';

async function assignable(user: User, current: Named | null | undefined): Promise<Named[]> {
  const people = new Map<string, string>([[user.id, `Me (${user.name || user.email})`]]);
  if (current) people.set(current.id, current.name);
  const { users } = await get<{ users: Named[] }>(`${API}/users/assignable`);
  for (const person of users) if (!people.has(person.id)) people.set(person.id, person.name);
  return [...people].map(([id, name]) => ({ id, name }));
}

export function PeoplePanel({ item, user, onSaved }: { item: CaseDetail; user: User; onSaved: () => void }) {
  const writes = writesCases(user);
  return (
    <div className="panel" id="case-people">
      <h2>People</h2>
      <dl className="facts">
        {item.assignee !== undefined && (
          <>
            <dt>Analyst</dt>
            <dd>{item.assignee ? <Revealed text={item.assignee.name} /> : 'Nobody yet'}</dd>
          </>
        )}
        <dt>Supplier</dt>
        <dd>{item.supplier ? <Revealed text={item.supplier.name} /> : 'None'}</dd>
        {item.supplierAcknowledgedAt !== undefined && item.supplier && (
          <>
            <dt>Supplier saw it</dt>
            <dd>
              {item.supplierAcknowledgedAt
                ? new Date(item.supplierAcknowledgedAt).toLocaleString()
                : 'Not yet'}
            </dd>
          </>
        )}
      </dl>
      {writes && (
        <details className="edit">
          <summary>Assign</summary>
          <Pickers item={item} user={user} onSaved={onSaved} />
        </details>
      )}
    </div>
  );
}

function Pickers({ item, user, onSaved }: { item: CaseDetail; user: User; onSaved: () => void }) {
  const people = useResource(() => assignable(user, item.assignee), `assignable:${item.id}`);
  const suppliers = useResource(() => get<{ suppliers: Supplier[] }>(`${API}/suppliers`), 'case-suppliers');
  const [assignee, setAssignee] = useState(item.assignee?.id ?? '');
  const [supplier, setSupplier] = useState(item.supplier?.id ?? '');
  const { busy, error, run } = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, string | null> = {};
    if (assignee !== (item.assignee?.id ?? '')) changes.assigneeUserId = assignee || null;
    if (supplier !== (item.supplier?.id ?? '')) changes.supplierId = supplier || null;
    if (Object.keys(changes).length === 0) return;
    if (await run(() => api('PATCH', `${API}/cases/${item.id}`, changes))) onSaved();
  };
  return (
    <form onSubmit={save}>
      {error && <ErrorBanner error={error} />}
      {people.state === 'error' && <ErrorBanner error={people.error} title="Analysts could not be listed" />}
      {suppliers.state === 'error' && (
        <ErrorBanner error={suppliers.error} title="Suppliers could not be listed" />
      )}
      <Field label="Analyst" error={error?.fields.assigneeUserId}>
        {(p) => (
          <select {...p} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">Nobody</option>
            {people.state === 'ready' &&
              people.data.map((person) => (
                <option key={person.id} value={person.id}>
                  {revealedText(person.name)}
                </option>
              ))}
          </select>
        )}
      </Field>
      <Field
        label="Supplier"
        hint="Its users see the case, the supplier thread and can upload fixes"
        error={error?.fields.supplierId}
      >
        {(p) => (
          <select {...p} value={supplier} onChange={(e) => setSupplier(e.target.value)}>
            <option value="">None</option>
            {suppliers.state === 'ready' &&
              suppliers.data.suppliers.map((s) => (
                <option key={s.id} value={s.id}>
                  {revealedText(s.name)}
                </option>
              ))}
          </select>
        )}
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
