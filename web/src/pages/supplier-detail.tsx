// One supplier (or, for a supplier's own staff, "Your supplier"): its record, its models, and the
// contract-safeguards checklist with status, date, terms and evidence per item.
import { type FormEvent, useState } from 'react';
import { API, type ApiError, api, get, upload } from '../api.ts';
import { Link, useTitle } from '../router.tsx';
import { can, type User, useUser } from '../session.tsx';
import type {
  Checklist,
  ChecklistItem,
  Contact,
  List,
  Model,
  Product,
  SafeguardStatus,
  Supplier,
} from '../types.ts';
import {
  asApiError,
  ErrorBanner,
  Field,
  formatDate,
  Loaded,
  Notice,
  useAction,
  useResource,
} from '../ui.tsx';
import { Breadcrumbs, Pill } from '../widgets.tsx';
import { SafeguardGlance } from './suppliers.tsx';

export function SupplierDetail({ supplierId, portal = false }: { supplierId: string; portal?: boolean }) {
  const user = useUser();
  // A supplier's own staff read their record at /me/supplier; staff read any at /suppliers/:id.
  const supplier = useResource(
    () => get<Supplier>(portal ? `${API}/me/supplier` : `${API}/suppliers/${supplierId}`),
    `supplier:${portal ? 'me' : supplierId}`,
  );
  const checklist = useResource(
    () => get<Checklist>(`${API}/suppliers/${supplierId}/safeguards`),
    `safeguards:${supplierId}`,
  );
  useTitle(portal ? 'Your supplier' : supplier.state === 'ready' ? supplier.data.name : 'Supplier');
  if (!supplierId) {
    return (
      <p className="empty">Your account is not linked to a supplier. Ask an administrator to link it.</p>
    );
  }
  const reloadAll = () => {
    supplier.reload();
    checklist.reload();
  };
  return (
    <section>
      {!portal && <Breadcrumbs trail={[{ to: '/suppliers', label: 'Suppliers' }]} />}
      <Loaded resource={supplier}>
        {(s) => (
          <>
            <h1>{portal ? `Your supplier: ${s.name}` : s.name}</h1>
            {portal && (
              <p className="hint">
                You see the models your company builds or supplies parts for, their firmware, and the contract
                safeguards the maker has recorded for you. You can add evidence to any safeguard.
              </p>
            )}
            <dl className="facts">
              <dt>Country</dt>
              <dd>{s.country ? `${s.countryName ?? s.country} (${s.country})` : '—'}</dd>
              <dt>Contacts</dt>
              <dd>{s.contacts.length === 0 ? '—' : <ContactList contacts={s.contacts} />}</dd>
              <dt>Safeguards</dt>
              <dd>
                <SafeguardGlance summary={s.safeguards} />
              </dd>
            </dl>
            {can.editSuppliers(user) && <EditSupplier supplier={s} onSaved={supplier.reload} />}
            <h2>Models</h2>
            <SupplierModels supplier={s} />
            {can.editSuppliers(user) && <ModelLinks supplier={s} onSaved={reloadAll} />}
          </>
        )}
      </Loaded>
      {supplier.state === 'ready' && <h2>Contract safeguards</h2>}
      {supplier.state === 'ready' && (
        <Loaded resource={checklist}>
          {(list) => (
            <div className="checklist">
              {list.items.map((entry) => (
                <SafeguardEntry
                  key={entry.key}
                  supplierId={supplierId}
                  entry={entry}
                  user={user}
                  onChanged={reloadAll}
                />
              ))}
            </div>
          )}
        </Loaded>
      )}
    </section>
  );
}

function ContactList({ contacts }: { contacts: Contact[] }) {
  return (
    <ul className="plain">
      {contacts.map((c) => (
        <li key={`${c.email}-${c.name}`}>
          {c.name}
          {c.role && `, ${c.role}`} · <a href={`mailto:${c.email}`}>{c.email}</a>
          {c.phone && ` · ${c.phone}`}
        </li>
      ))}
    </ul>
  );
}

function SupplierModels({ supplier }: { supplier: Supplier }) {
  if (supplier.models.length === 0) return <p className="empty">No models linked to this supplier.</p>;
  return (
    <div className="table-wrap">
      <table className="stack" id="supplier-models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Product</th>
            <th scope="col">Relation</th>
          </tr>
        </thead>
        <tbody>
          {supplier.models.map((m) => (
            <tr key={`${m.modelId}-${m.relation}`}>
              <td data-label="Model">
                <Link to={`/inventory/models/${m.modelId}`}>{m.modelName}</Link>
              </td>
              <td data-label="Product">{m.productName}</td>
              <td data-label="Relation">{m.relation === 'builds' ? 'Builds it' : 'Supplies parts'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Relation = 'builds' | 'supplies-parts';
type ModelLink = { modelId: string; label: string; relation: Relation };

/** Every model of every product, for choosing which ones a supplier works on. */
async function allModels(): Promise<Model[]> {
  const products = await get<List<Product>>(`${API}/products?limit=500`);
  const lists = await Promise.all(
    products.items.map((p) => get<List<Model>>(`${API}/products/${p.id}/models?limit=500`)),
  );
  return lists.flatMap((list) => list.items);
}

/** The models a supplier builds or supplies parts for; saved as a whole (PUT …/models). */
function ModelLinks({ supplier, onSaved }: { supplier: Supplier; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [links, setLinks] = useState<ModelLink[]>(() =>
    supplier.models.map((m) => ({
      modelId: m.modelId,
      label: `${m.productName} · ${m.modelName}`,
      relation: m.relation,
    })),
  );
  const [adding, setAdding] = useState('');
  const models = useResource(() => (open ? allModels() : Promise.resolve([])), `all-models:${open}`);
  const { busy, error, run } = useAction();
  const choices =
    models.state === 'ready' ? models.data.filter((m) => !links.some((l) => l.modelId === m.id)) : [];
  const add = () => {
    const model = choices.find((m) => m.id === adding);
    if (!model) return;
    setLinks([
      ...links,
      { modelId: model.id, label: `${model.product.name} · ${model.name}`, relation: 'builds' },
    ]);
    setAdding('');
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const body = { models: links.map(({ modelId, relation }) => ({ modelId, relation })) };
    if (await run(() => api('PUT', `${API}/suppliers/${supplier.id}/models`, body))) onSaved();
  };
  return (
    <details className="panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Change models</summary>
      <form onSubmit={save}>
        {error && <ErrorBanner error={error} />}
        {links.length === 0 && <p className="empty">No models linked.</p>}
        <ul className="plain link-list">
          {links.map((link, i) => (
            <li key={link.modelId}>
              <span>{link.label}</span>
              <label className="visually-hidden" htmlFor={`relation-${link.modelId}`}>
                Relation to {link.label}
              </label>
              <select
                id={`relation-${link.modelId}`}
                value={link.relation}
                onChange={(e) =>
                  setLinks(
                    links.map((l, j) => (i === j ? { ...l, relation: e.target.value as Relation } : l)),
                  )
                }
              >
                <option value="builds">Builds it</option>
                <option value="supplies-parts">Supplies parts</option>
              </select>
              <button
                type="button"
                className="danger"
                onClick={() => setLinks(links.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <Loaded resource={models}>
          {() => (
            <div className="actions">
              <label className="visually-hidden" htmlFor={`add-model-${supplier.id}`}>
                Model to add
              </label>
              <select
                id={`add-model-${supplier.id}`}
                value={adding}
                onChange={(e) => setAdding(e.target.value)}
              >
                <option value="">Choose a model to add…</option>
                {choices.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.product.name} · {m.name}
                  </option>
                ))}
              </select>
              <button type="button" className="secondary" disabled={!adding} onClick={add}>
                Add
              </button>
            </div>
          )}
        </Loaded>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save models'}
        </button>
      </form>
    </details>
  );
}

function EditSupplier({ supplier, onSaved }: { supplier: Supplier; onSaved: () => void }) {
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

function SafeguardEntry({
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
