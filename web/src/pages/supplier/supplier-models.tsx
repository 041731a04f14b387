// A supplier's models: the list, and the editor that links models to the supplier.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../../api.ts';
import { Link } from '../../router.tsx';
import type { List, Model, Product, Supplier } from '../../types.ts';
import { ErrorBanner, Loaded, useAction, useResource } from '../../ui.tsx';

export function SupplierModels({ supplier }: { supplier: Supplier }) {
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
export function ModelLinks({ supplier, onSaved }: { supplier: Supplier; onSaved: () => void }) {
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
