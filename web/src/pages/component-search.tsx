// Component search: which firmware versions, of every product, contain a package in a version range.
import { type FormEvent, useState } from 'react';
import { API, get, query } from '../api.ts';
import { Link, navigate, useSearch, useTitle } from '../router.tsx';
import { Field, Loaded, useResource } from '../ui.tsx';

export type ComponentHit = {
  firmwareId: string;
  firmwareVersion: string;
  modelId: string;
  modelName: string;
  productId: string;
  productName: string;
  component: { name: string; version: string | null; purl: string | null };
};

type SearchAnswer = { items: ComponentHit[]; total?: number };

export function ComponentSearch() {
  useTitle('Component search');
  const search = useSearch();
  const purl = search.get('purl') ?? '';
  const range = search.get('range') ?? '';
  const [purlInput, setPurlInput] = useState(purl);
  const [rangeInput, setRangeInput] = useState(range);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/components${query({ purl: purlInput.trim(), range: rangeInput.trim() })}`);
  };

  return (
    <section>
      <h1>Component search</h1>
      <p className="hint">
        Which firmware versions contain a component? For example the package <code>pkg:generic/openssl</code>{' '}
        in the range <code>&lt; 3.0.7</code>, the morning a library vulnerability is published.
      </p>
      <form className="panel" onSubmit={submit}>
        <div className="grid-2">
          <Field
            label="Package URL (purl)"
            hint="Without version, e.g. pkg:npm/lodash or pkg:generic/openssl"
          >
            {(p) => (
              <input
                {...p}
                type="search"
                name="purl"
                required
                value={purlInput}
                onChange={(e) => setPurlInput(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Version range"
            hint="Optional, e.g. < 3.0.7 or >= 2.0.0, < 2.4.1 (empty: every version)"
          >
            {(p) => (
              <input
                {...p}
                type="text"
                name="range"
                value={rangeInput}
                onChange={(e) => setRangeInput(e.target.value)}
              />
            )}
          </Field>
        </div>
        <button type="submit">Search</button>
      </form>
      {purl && <Results purl={purl} range={range} />}
    </section>
  );
}

function Results({ purl, range }: { purl: string; range: string }) {
  const results = useResource(
    () => get<SearchAnswer>(`${API}/components/search${query({ purl, range })}`),
    `search:${purl}:${range}`,
  );
  return (
    <Loaded resource={results}>
      {(answer) =>
        answer.items.length === 0 ? (
          <p className="empty" id="search-empty" role="status">
            No firmware contains <code>{purl}</code>
            {range ? ` in the range ${range}` : ''}.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="stack" id="search-results">
              <caption role="status">
                {answer.total ?? answer.items.length} firmware version{answer.items.length === 1 ? '' : 's'}{' '}
                contain {purl}
                {range ? ` in the range ${range}` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Model</th>
                  <th scope="col">Firmware</th>
                  <th scope="col">Component</th>
                  <th scope="col">Component version</th>
                </tr>
              </thead>
              <tbody>
                {answer.items.map((hit, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: an SBOM may list the same component twice; rows never reorder
                  <tr key={`${hit.firmwareId}-${i}`}>
                    <td data-label="Product">{hit.productName}</td>
                    <td data-label="Model">
                      <Link to={`/inventory/models/${hit.modelId}`}>{hit.modelName}</Link>
                    </td>
                    <td data-label="Firmware">
                      <Link to={`/inventory/firmware/${hit.firmwareId}`}>
                        <code>{hit.firmwareVersion}</code>
                      </Link>
                    </td>
                    <td data-label="Component">
                      {hit.component.name}
                      {hit.component.purl && (
                        <>
                          <br />
                          <code>{hit.component.purl}</code>
                        </>
                      )}
                    </td>
                    <td data-label="Version">
                      <code>{hit.component.version ?? '—'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Loaded>
  );
}
