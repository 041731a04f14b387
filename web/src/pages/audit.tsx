// The audit log (admin, auditor): newest first, one page at a time.
import { useState } from 'react';
import { API, get, query } from '../api.ts';
import { useTitle } from '../router.tsx';
import type { AuditEntry } from '../types.ts';
import { formatDate, Loaded, useResource } from '../ui.tsx';

type AuditPage = { entries: AuditEntry[]; nextBefore: string | null };

export function AuditLog() {
  useTitle('Audit log');
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before.at(-1);
  const page = useResource(
    () => get<AuditPage>(`${API}/audit${query({ limit: 50, before: cursor })}`),
    `audit:${cursor ?? ''}`,
  );
  return (
    <section>
      <h1>Audit log</h1>
      <p className="hint">
        Every sign-in, failed sign-in, permission change and inventory or supplier change. Newest first.
      </p>
      <Loaded resource={page}>
        {({ entries, nextBefore }) => (
          <>
            {entries.length === 0 ? (
              <p className="empty">Nothing recorded yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="stack" id="audit">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Detail</th>
                      <th scope="col">Address</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((e) => (
                      <tr key={e.id}>
                        <td data-label="When" className="nowrap">
                          {formatDate(e.at)}
                        </td>
                        <td data-label="Who">{e.actorLabel}</td>
                        <td data-label="What">
                          <code className="nowrap">{e.action}</code>
                        </td>
                        <td data-label="Subject">
                          {e.subjectType ? `${e.subjectType} ${e.subjectId ?? ''}` : '—'}
                        </td>
                        <td data-label="Detail">
                          {Object.keys(e.detail).length > 0 ? <code>{JSON.stringify(e.detail)}</code> : '—'}
                        </td>
                        <td data-label="Address">{e.ip ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <div className="actions">
              {before.length > 0 && (
                <button type="button" className="secondary" onClick={() => setBefore(before.slice(0, -1))}>
                  Newer
                </button>
              )}
              {nextBefore && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setBefore([...before, nextBefore])}
                >
                  Older
                </button>
              )}
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
