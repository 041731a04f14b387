// What a case affects: models from the inventory with the firmware version range and the version that
// fixes it. Edited as a whole and saved with PUT …/affects; the server checks every range.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../../api.ts';
import { Link } from '../../router.tsx';
import type { CaseAffects, CaseDetail, List, Model, Product } from '../../types.ts';
import { ErrorBanner, Loaded, useAction, useResource } from '../../ui.tsx';
import { Revealed, revealedText } from './case-text.tsx';

type Row = { modelId: string; label: string; versionRange: string; fixedIn: string };

export function AffectsPanel({
  item,
  writes,
  onSaved,
}: {
  item: CaseDetail;
  writes: boolean;
  onSaved: () => void;
}) {
  const [editing, setEditing] = useState(false);
  return (
    <div className="panel" id="case-affects">
      <h2>Affects</h2>
      {item.affects.length === 0 ? (
        <p className="empty">No affected models recorded.</p>
      ) : (
        <ul className="plain affects">
          {item.affects.map((a) => (
            <li key={a.modelId}>
              <Link to={`/inventory/models/${encodeURIComponent(a.modelId)}`}>
                <Revealed text={a.modelName} />
              </Link>
              <br />
              <code>{a.versionRange}</code>
              <span className="muted"> · fixed in {a.fixedIn ? <code>{a.fixedIn}</code> : 'not yet'}</span>
            </li>
          ))}
        </ul>
      )}
      {writes && !editing && (
        <button type="button" className="secondary" onClick={() => setEditing(true)}>
          Change affected models
        </button>
      )}
      {writes && editing && (
        <AffectsEditor
          item={item}
          onDone={(saved) => {
            setEditing(false);
            if (saved) onSaved();
          }}
        />
      )}
    </div>
  );
}

const rowOf = (a: CaseAffects): Row => ({
  modelId: a.modelId,
  label: a.modelName,
  versionRange: a.versionRange,
  fixedIn: a.fixedIn ?? '',
});

function AffectsEditor({ item, onDone }: { item: CaseDetail; onDone: (saved: boolean) => void }) {
  const [rows, setRows] = useState<Row[]>(() => item.affects.map(rowOf));
  const { busy, error, run } = useAction();
  const update = (index: number, changes: Partial<Row>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...changes } : row)));
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const affects = rows.map((r) => ({
      modelId: r.modelId,
      versionRange: r.versionRange.trim(),
      fixedIn: r.fixedIn.trim() || null,
    }));
    if (await run(() => api('PUT', `${API}/cases/${item.id}/affects`, { affects }))) onDone(true);
  };
  return (
    <form onSubmit={save} className="affects-editor">
      {error && <ErrorBanner error={error} />}
      {rows.length === 0 && <p className="empty">No models. Add one below.</p>}
      {rows.map((row, index) => (
        <fieldset key={row.modelId}>
          <legend>{revealedText(row.label)}</legend>
          <div className="field">
            <label htmlFor={`range-${row.modelId}`}>Affected versions of {revealedText(row.label)}</label>
            <p className="hint">For example &gt;= 2.0.0, &lt; 2.4.1 | 3.0.0</p>
            <input
              id={`range-${row.modelId}`}
              type="text"
              required
              value={row.versionRange}
              onChange={(e) => update(index, { versionRange: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`fixed-${row.modelId}`}>Fixed in (version of {revealedText(row.label)})</label>
            <input
              id={`fixed-${row.modelId}`}
              type="text"
              value={row.fixedIn}
              onChange={(e) => update(index, { fixedIn: e.target.value })}
            />
          </div>
          <button
            type="button"
            className="link-button"
            onClick={() => setRows(rows.filter((_, i) => i !== index))}
          >
            Remove {revealedText(row.label)}
          </button>
        </fieldset>
      ))}
      <ModelPicker
        taken={rows.map((r) => r.modelId)}
        onPick={(model) =>
          setRows([...rows, { modelId: model.id, label: model.name, versionRange: '', fixedIn: '' }])
        }
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save affected models'}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Product first, then one of its models, from the inventory API. */
function ModelPicker({ taken, onPick }: { taken: string[]; onPick: (model: Model) => void }) {
  const [productId, setProductId] = useState('');
  const [modelId, setModelId] = useState('');
  const products = useResource(() => get<List<Product>>(`${API}/products?limit=500`), 'picker-products');
  const models = useResource(
    () =>
      productId ? get<List<Model>>(`${API}/products/${productId}/models?limit=500`) : Promise.resolve(null),
    `picker-models:${productId}`,
  );
  const choices =
    models.state === 'ready' && models.data ? models.data.items.filter((m) => !taken.includes(m.id)) : [];
  return (
    <fieldset className="model-picker">
      <legend>Add a model</legend>
      <Loaded resource={products}>
        {(list) => (
          <div className="grid-2">
            <div className="field">
              <label htmlFor="affects-product">Product</label>
              <select
                id="affects-product"
                value={productId}
                onChange={(e) => {
                  setProductId(e.target.value);
                  setModelId('');
                }}
              >
                <option value="">Choose a product…</option>
                {list.items.map((p) => (
                  <option key={p.id} value={p.id}>
                    {revealedText(p.name)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="affects-model">Model</label>
              <select
                id="affects-model"
                value={modelId}
                disabled={!productId}
                onChange={(e) => setModelId(e.target.value)}
              >
                <option value="">Choose a model…</option>
                {choices.map((m) => (
                  <option key={m.id} value={m.id}>
                    {revealedText(m.name)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
      </Loaded>
      {models.state === 'error' && <ErrorBanner error={models.error} />}
      <button
        type="button"
        className="secondary"
        disabled={!modelId}
        onClick={() => {
          const model = choices.find((m) => m.id === modelId);
          if (model) onPick(model);
          setModelId('');
        }}
      >
        Add model
      </button>
    </fieldset>
  );
}
