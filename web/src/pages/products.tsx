// Inventory: the list of products, and one product with its models.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../api.ts';
import { Link, navigate, useTitle } from '../router.tsx';
import { can, useUser } from '../session.tsx';
import type { List, Model, Product } from '../types.ts';
import { ErrorBanner, Field, formatDate, Loaded, useAction, useResource } from '../ui.tsx';
import { Breadcrumbs } from '../widgets.tsx';
import { ExportImport } from './inventory-transfer.tsx';

export function ProductList() {
  useTitle('Inventory');
  const user = useUser();
  const products = useResource(() => get<List<Product>>(`${API}/products?limit=500`), 'products');
  return (
    <section>
      <div className="page-head">
        <h1>Inventory</h1>
        <p className="hint">
          Products, their models and firmware versions, and what is inside each firmware.
        </p>
      </div>
      <Loaded resource={products}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="empty">No products yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="stack">
                <caption>
                  {list.items.length} product{list.items.length === 1 ? '' : 's'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Identifier</th>
                    <th scope="col" className="num">
                      Models
                    </th>
                    <th scope="col">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((product) => (
                    <tr key={product.id}>
                      <td data-label="Product">
                        <Link to={`/inventory/products/${product.id}`}>{product.name}</Link>
                      </td>
                      <td data-label="Identifier">
                        <code>{product.slug}</code>
                      </td>
                      <td data-label="Models" className="num">
                        {product.modelCount}
                      </td>
                      <td data-label="Description">{product.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {can.editInventory(user) && <NewProduct onCreated={(id) => navigate(`/inventory/products/${id}`)} />}
      <ExportImport canImport={can.editInventory(user)} onImported={products.reload} />
    </section>
  );
}

function NewProduct({ onCreated }: { onCreated: (id: string) => void }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await run(() => api<Product>('POST', `${API}/products`, { slug, name, description }));
    if (created) onCreated(created.id);
  };
  return (
    <details className="panel">
      <summary>Add a product</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <div className="grid-2">
          <Field label="Name" error={error?.fields.name}>
            {(p) => (
              <input {...p} type="text" required value={name} onChange={(e) => setName(e.target.value)} />
            )}
          </Field>
          <Field label="Identifier" hint="Short, lowercase, e.g. l1-smart-lock" error={error?.fields.slug}>
            {(p) => (
              <input {...p} type="text" required value={slug} onChange={(e) => setSlug(e.target.value)} />
            )}
          </Field>
        </div>
        <Field label="Description" error={error?.fields.description}>
          {(p) => <textarea {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add product'}
        </button>
      </form>
    </details>
  );
}

export function ProductDetail({ productId }: { productId: string }) {
  const user = useUser();
  const product = useResource(() => get<Product>(`${API}/products/${productId}`), `product:${productId}`);
  const models = useResource(
    () => get<List<Model>>(`${API}/products/${productId}/models`),
    `product-models:${productId}`,
  );
  useTitle(product.state === 'ready' ? product.data.name : 'Product');
  return (
    <section>
      <Breadcrumbs trail={[{ to: '/inventory', label: 'Inventory' }]} />
      <Loaded resource={product}>
        {(p) => (
          <>
            <h1>{p.name}</h1>
            <dl className="facts">
              <dt>Identifier</dt>
              <dd>
                <code>{p.slug}</code>
              </dd>
              <dt>Description</dt>
              <dd>{p.description || '—'}</dd>
              <dt>Last changed</dt>
              <dd>{formatDate(p.updatedAt)}</dd>
            </dl>
            {can.editInventory(user) && <EditProduct product={p} onSaved={product.reload} />}
          </>
        )}
      </Loaded>
      {product.state === 'ready' && (
        <>
          <h2>Models</h2>
          <Loaded resource={models}>{(list) => <ModelTable models={list.items} />}</Loaded>
          {can.editInventory(user) && (
            <NewModel productId={productId} onCreated={(id) => navigate(`/inventory/models/${id}`)} />
          )}
        </>
      )}
    </section>
  );
}

export function ModelTable({ models }: { models: Model[] }) {
  if (models.length === 0) return <p className="empty">No models.</p>;
  return (
    <div className="table-wrap">
      <table className="stack">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Hardware revisions</th>
            <th scope="col">Remote update</th>
            <th scope="col">Security support until</th>
            <th scope="col" className="num">
              Firmware
            </th>
            <th scope="col">Suppliers</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.id}>
              <td data-label="Model">
                <Link to={`/inventory/models/${model.id}`}>{model.name}</Link> <code>{model.slug}</code>
              </td>
              <td data-label="Hardware">{model.hardwareRevisions.join(', ') || '—'}</td>
              <td data-label="Remote update">{model.remoteUpdate ? 'Yes' : 'No'}</td>
              <td data-label="Support until">{formatDate(model.supportEnds)}</td>
              <td data-label="Firmware" className="num">
                {model.firmwareCount}
              </td>
              <td data-label="Suppliers">
                {model.suppliers.map((s) => `${s.name} (${s.relation})`).join(', ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EditProduct({ product, onSaved }: { product: Product; onSaved: () => void }) {
  const [name, setName] = useState(product.name);
  const [description, setDescription] = useState(product.description);
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await run(() => api('PATCH', `${API}/products/${product.id}`, { name, description }));
    if (saved) onSaved();
  };
  return (
    <details className="panel">
      <summary>Edit product</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <Field label="Name" error={error?.fields.name}>
          {(p) => (
            <input {...p} type="text" required value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field label="Description" error={error?.fields.description}>
          {(p) => <textarea {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </form>
    </details>
  );
}

export type ModelForm = {
  slug: string;
  name: string;
  hardwareRevisions: string;
  remoteUpdate: boolean;
  supportEnds: string;
};

export function modelBody(form: ModelForm) {
  return {
    slug: form.slug,
    name: form.name,
    hardwareRevisions: form.hardwareRevisions
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    remoteUpdate: form.remoteUpdate,
    supportEnds: form.supportEnds || null,
  };
}

export function ModelFields({
  form,
  setForm,
  fields,
  withSlug,
}: {
  form: ModelForm;
  setForm: (form: ModelForm) => void;
  fields: Record<string, string>;
  withSlug: boolean;
}) {
  return (
    <>
      <div className="grid-2">
        <Field label="Name" error={fields.name}>
          {(p) => (
            <input
              {...p}
              type="text"
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          )}
        </Field>
        {withSlug && (
          <Field label="Identifier" hint="Short, lowercase, e.g. l1-eu" error={fields.slug}>
            {(p) => (
              <input
                {...p}
                type="text"
                required
                value={form.slug}
                onChange={(e) => setForm({ ...form, slug: e.target.value })}
              />
            )}
          </Field>
        )}
        <Field
          label="Hardware revisions"
          hint="Separated by commas, e.g. rev-a, rev-b"
          error={fields.hardwareRevisions}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              value={form.hardwareRevisions}
              onChange={(e) => setForm({ ...form, hardwareRevisions: e.target.value })}
            />
          )}
        </Field>
        <Field
          label="Security support until"
          hint="The date you promise updates until"
          error={fields.supportEnds}
        >
          {(p) => (
            <input
              {...p}
              type="date"
              value={form.supportEnds}
              onChange={(e) => setForm({ ...form, supportEnds: e.target.value })}
            />
          )}
        </Field>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={form.remoteUpdate}
          onChange={(e) => setForm({ ...form, remoteUpdate: e.target.checked })}
        />
        Can be updated remotely
      </label>
    </>
  );
}

function NewModel({ productId, onCreated }: { productId: string; onCreated: (id: string) => void }) {
  const [form, setForm] = useState<ModelForm>({
    slug: '',
    name: '',
    hardwareRevisions: '',
    remoteUpdate: true,
    supportEnds: '',
  });
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await run(() =>
      api<Model>('POST', `${API}/products/${productId}/models`, modelBody(form)),
    );
    if (created) onCreated(created.id);
  };
  return (
    <details className="panel">
      <summary>Add a model</summary>
      <form onSubmit={submit}>
        {error && <ErrorBanner error={error} />}
        <ModelFields form={form} setForm={setForm} fields={error?.fields ?? {}} withSlug />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Adding…' : 'Add model'}
          </button>
        </div>
      </form>
    </details>
  );
}
