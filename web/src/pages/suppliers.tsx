// Suppliers: every contract manufacturer with its models and, at a glance, which safeguards are missing.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../api.ts';
import { Link, navigate, useTitle } from '../router.tsx';
import { can, useUser } from '../session.tsx';
import type { SafeguardSummary, Supplier } from '../types.ts';
import { ErrorBanner, Field, Loaded, useAction, useResource } from '../ui.tsx';
import { Pill } from '../widgets.tsx';

export function SupplierList() {
  useTitle('Suppliers');
  const user = useUser();
  const suppliers = useResource(() => get<{ suppliers: Supplier[] }>(`${API}/suppliers`), 'suppliers');
  return (
    <section>
      <h1>Suppliers</h1>
      <p className="hint">
        Contract manufacturers and part suppliers, the models they build, and which contract safeguards are in
        place.
      </p>
      <Loaded resource={suppliers}>
        {({ suppliers: list }) =>
          list.length === 0 ? (
            <p className="empty">No suppliers recorded yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="stack" id="suppliers">
                <thead>
                  <tr>
                    <th scope="col">Supplier</th>
                    <th scope="col">Country</th>
                    <th scope="col">Models</th>
                    <th scope="col">Safeguards</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id}>
                      <td data-label="Supplier">
                        <Link to={`/suppliers/${s.id}`}>{s.name}</Link>
                      </td>
                      <td data-label="Country">{s.countryName ?? s.country ?? '—'}</td>
                      <td data-label="Models">{s.models.map((m) => m.modelName).join(', ') || '—'}</td>
                      <td data-label="Safeguards">
                        <SafeguardGlance summary={s.safeguards} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {can.editSuppliers(user) && <NewSupplier onCreated={(id) => navigate(`/suppliers/${id}`)} />}
    </section>
  );
}

/** "4 of 6 in place", and the missing ones named, so gaps are visible without opening the supplier. */
export function SafeguardGlance({ summary }: { summary: SafeguardSummary }) {
  const complete = summary.inPlace === summary.applicable;
  return (
    <div className="glance">
      <Pill tone={complete ? 'good' : summary.inPlace === 0 ? 'bad' : 'warn'}>
        {`${summary.inPlace} of ${summary.applicable} in place`}
      </Pill>
      {summary.missing.length > 0 && (
        <ul className="missing-list" aria-label="Missing safeguards">
          {summary.missing.map((m) => (
            <li key={m.key}>
              {m.title} <span className="muted">({m.status})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NewSupplier({ onCreated }: { onCreated: (id: string) => void }) {
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await run(() =>
      api<Supplier>('POST', `${API}/suppliers`, { name, country: country.trim().toUpperCase() || null }),
    );
    if (created) onCreated(created.id);
  };
  return (
    <details className="panel">
      <summary>Add a supplier</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <div className="grid-2">
          <Field label="Name" error={error?.fields.name}>
            {(p) => (
              <input {...p} type="text" required value={name} onChange={(e) => setName(e.target.value)} />
            )}
          </Field>
          <Field label="Country" hint="Two-letter code, e.g. CN, TW, DE" error={error?.fields.country}>
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={2}
                value={country}
                onChange={(e) => setCountry(e.target.value)}
              />
            )}
          </Field>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add supplier'}
        </button>
      </form>
    </details>
  );
}
