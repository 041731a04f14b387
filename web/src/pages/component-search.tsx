// Component search: which firmware versions, of every product, contain a package in a version range.
import { type FormEvent, useState } from 'react';
import { API, get, query } from '../api.ts';
import { Link, navigate, useSearch, useTitle } from '../router.tsx';
import type { List, SearchHit } from '../types.ts';
import { Field, formatDate, Loaded, useResource } from '../ui.tsx';

type SearchAnswer = List<SearchHit> & { range?: string | null };

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
    () => get<SearchAnswer>(`${API}/components/search${query({ purl, range, limit: 500 })}`),
    `search:${purl}:${range}`,
  );
  const what = (
    <>
      <code>{purl}</code>
      {range ? ` in the range ${range}` : ' in any version'}
    </>
  );
  return (
    <Loaded resource={results}>
      {(answer) =>
        answer.items.length === 0 ? (
          <p className="empty" id="search-empty" role="status">
            No firmware contains {what}.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="stack" id="search-results">
              <caption role="status">
                {answer.total} firmware version{answer.total === 1 ? ' contains' : 's contain'} {what}
                {answer.total > answer.items.length && ` (the first ${answer.items.length} are shown)`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Model</th>
                  <th scope="col">Firmware</th>
                  <th scope="col">Released</th>
                  <th scope="col">Matching components</th>
                </tr>
              </thead>
              <tbody>
                {answer.items.map((hit) => (
                  <tr key={hit.firmware.id}>
                    <td data-label="Product">{hit.product.name}</td>
                    <td data-label="Model">
                      <Link to={`/inventory/models/${hit.model.id}`}>{hit.model.name}</Link>
                    </td>
                    <td data-label="Firmware">
                      <Link to={`/inventory/firmware/${hit.firmware.id}`}>
                        <code>{hit.firmware.version}</code>
                      </Link>
                    </td>
                    <td data-label="Released">{formatDate(hit.firmware.releaseDate)}</td>
                    <td data-label="Components">
                      <ul className="plain">
                        {hit.components.map((c) => (
                          <li key={`${c.purl ?? c.name}@${c.version ?? ''}`}>
                            {c.name} <code>{c.version ?? '—'}</code>
                            {c.purl && (
                              <>
                                <br />
                                <code className="muted">{c.purl}</code>
                              </>
                            )}
                          </li>
                        ))}
                      </ul>
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
