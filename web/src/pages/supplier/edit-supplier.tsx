// Editing a supplier's record: name, country and contacts.
import { type FormEvent, useState } from 'react';
import { API, api } from '../../api.ts';
import type { Contact, Supplier } from '../../types.ts';
import { ErrorBanner, Field, useAction } from '../../ui.tsx';

export function EditSupplier({ supplier, onSaved }: { supplier: Supplier; onSaved: () => void }) {
  const [name, setName] = useState(supplier.name);
  const [country, setCountry] = useState(supplier.country ?? '');
  const [contacts, setContacts] = useState<Contact[]>(supplier.contacts);
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name,
      country: country.trim().toUpperCase() || null,
      contacts: contacts.map((c) => ({ ...c, phone: c.phone || null })),
    };
    if (await run(() => api('PATCH', `${API}/suppliers/${supplier.id}`, body))) onSaved();
  };
  const setContact = (i: number, change: Partial<Contact>) =>
    setContacts(contacts.map((c, j) => (i === j ? { ...c, ...change } : c)));
  return (
    <details className="panel">
      <summary>Edit supplier</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <div className="grid-2">
          <Field label="Name" error={error?.fields.name}>
            {(p) => (
              <input {...p} type="text" required value={name} onChange={(e) => setName(e.target.value)} />
            )}
          </Field>
          <Field label="Country" hint="Two-letter code" error={error?.fields.country}>
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
        {contacts.map((c, i) => (
          <fieldset key={`contact-${i.toString()}`}>
            <legend>Contact {i + 1}</legend>
            <div className="grid-2">
              <Field label="Name" error={error?.fields[`contacts.${i}.name`]}>
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    required
                    value={c.name}
                    onChange={(e) => setContact(i, { name: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Email" error={error?.fields[`contacts.${i}.email`]}>
                {(p) => (
                  <input
                    {...p}
                    type="email"
                    required
                    value={c.email}
                    onChange={(e) => setContact(i, { email: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label="Role"
                hint="e.g. security contact, account manager"
                error={error?.fields[`contacts.${i}.role`]}
              >
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    value={c.role}
                    onChange={(e) => setContact(i, { role: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Phone" error={error?.fields[`contacts.${i}.phone`]}>
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    value={c.phone ?? ''}
                    onChange={(e) => setContact(i, { phone: e.target.value })}
                  />
                )}
              </Field>
            </div>
            <button
              type="button"
              className="danger"
              onClick={() => setContacts(contacts.filter((_, j) => j !== i))}
            >
              Remove contact
            </button>
          </fieldset>
        ))}
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => setContacts([...contacts, { name: '', email: '', role: '', phone: '' }])}
          >
            Add a contact
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save supplier'}
          </button>
        </div>
      </form>
    </details>
  );
}
