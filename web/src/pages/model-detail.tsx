// One model: its facts and suppliers, its firmware versions in version order, and adding firmware.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../api.ts';
import { Link, navigate, useTitle } from '../router.tsx';
import { can, useUser } from '../session.tsx';
import type { Firmware, List, Model } from '../types.ts';
import { ErrorBanner, Field, formatDate, Loaded, useAction, useResource } from '../ui.tsx';
import { Breadcrumbs, Pill } from '../widgets.tsx';
import { ModelFields, type ModelForm, modelBody } from './products.tsx';

export function ModelDetail({ modelId }: { modelId: string }) {
  const user = useUser();
  const model = useResource(() => get<Model>(`${API}/models/${modelId}`), `model:${modelId}`);
  const firmware = useResource(
    () => get<List<Firmware>>(`${API}/models/${modelId}/firmware`),
    `model-firmware:${modelId}`,
  );
  useTitle(model.state === 'ready' ? model.data.name : 'Model');
  return (
    <section>
      <Loaded resource={model}>
        {(m) => (
          <>
            <Breadcrumbs
              trail={
                can.seeAllInventory(user)
                  ? [
                      { to: '/inventory', label: 'Inventory' },
                      { to: `/inventory/products/${m.product.id}`, label: m.product.name },
                    ]
                  : [{ to: '/supplier', label: 'Your supplier' }]
              }
            />
            <h1>{m.name}</h1>
            <dl className="facts">
              <dt>Product</dt>
              <dd>{m.product.name}</dd>
              <dt>Identifier</dt>
              <dd>
                <code>{m.slug}</code>
              </dd>
              <dt>Hardware revisions</dt>
              <dd>{m.hardwareRevisions.join(', ') || '—'}</dd>
              <dt>Remote update</dt>
              <dd>{m.remoteUpdate ? 'Yes, over the air' : 'No: fixes need a manual update'}</dd>
              <dt>Security support until</dt>
              <dd>{formatDate(m.supportEnds)}</dd>
              <dt>Suppliers</dt>
              <dd>
                {m.suppliers.length === 0
                  ? '—'
                  : m.suppliers.map((s, i) => (
                      <span key={`${s.id}-${s.relation}`}>
                        {i > 0 && ', '}
                        {can.seeAllInventory(user) ? <Link to={`/suppliers/${s.id}`}>{s.name}</Link> : s.name}{' '}
                        ({s.relation === 'builds' ? 'builds it' : 'supplies parts'})
                      </span>
                    ))}
              </dd>
            </dl>
            {can.editInventory(user) && <EditModel model={m} onSaved={model.reload} />}
          </>
        )}
      </Loaded>
      {model.state === 'ready' && (
        <>
          <h2>Firmware versions</h2>
          <p className="hint">Oldest first, in version order.</p>
          <Loaded resource={firmware}>{(list) => <FirmwareTable firmware={list.items} />}</Loaded>
          {can.editInventory(user) && (
            <NewFirmware modelId={modelId} onCreated={(id) => navigate(`/inventory/firmware/${id}`)} />
          )}
        </>
      )}
    </section>
  );
}

function FirmwareTable({ firmware }: { firmware: Firmware[] }) {
  if (firmware.length === 0) return <p className="empty">No firmware versions recorded.</p>;
  return (
    <div className="table-wrap">
      <table className="stack">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Released</th>
            <th scope="col">SBOM</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {firmware.map((f) => (
            <tr key={f.id}>
              <td data-label="Version">
                <Link to={`/inventory/firmware/${f.id}`}>
                  <code>{f.version}</code>
                </Link>
              </td>
              <td data-label="Released">{formatDate(f.releaseDate)}</td>
              <td data-label="SBOM">
                {f.sbom ? (
                  <Pill tone="good">{`${f.sbom.componentCount} components`}</Pill>
                ) : (
                  <Pill tone="warn">no SBOM</Pill>
                )}
              </td>
              <td data-label="Notes">{f.notes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EditModel({ model, onSaved }: { model: Model; onSaved: () => void }) {
  const [form, setForm] = useState<ModelForm>({
    slug: model.slug,
    name: model.name,
    hardwareRevisions: model.hardwareRevisions.join(', '),
    remoteUpdate: model.remoteUpdate,
    supportEnds: model.supportEnds ?? '',
  });
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { slug: _slug, ...changes } = modelBody(form);
    const saved = await run(() => api('PATCH', `${API}/models/${model.id}`, changes));
    if (saved) onSaved();
  };
  return (
    <details className="panel">
      <summary>Edit model</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <ModelFields form={form} setForm={setForm} fields={error?.fields ?? {}} withSlug={false} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </details>
  );
}

function NewFirmware({ modelId, onCreated }: { modelId: string; onCreated: (id: string) => void }) {
  const [version, setVersion] = useState('');
  const [releaseDate, setReleaseDate] = useState('');
  const [notes, setNotes] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await run(() =>
      api<Firmware>('POST', `${API}/models/${modelId}/firmware`, {
        version,
        releaseDate: releaseDate || null,
        notes,
      }),
    );
    if (created) onCreated(created.id);
  };
  return (
    <details className="panel">
      <summary>Add a firmware version</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <div className="grid-2">
          <Field
            label="Version"
            hint="As the device reports it, e.g. 2.4.1 or V2.1.0_build1234"
            error={error?.fields.version}
          >
            {(p) => (
              <input
                {...p}
                type="text"
                required
                value={version}
                onChange={(e) => setVersion(e.target.value)}
              />
            )}
          </Field>
          <Field label="Release date" error={error?.fields.releaseDate}>
            {(p) => (
              <input
                {...p}
                type="date"
                value={releaseDate}
                onChange={(e) => setReleaseDate(e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field label="Notes" error={error?.fields.notes}>
          {(p) => <textarea {...p} value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add firmware version'}
        </button>
      </form>
    </details>
  );
}
