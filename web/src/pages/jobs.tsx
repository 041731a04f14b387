// Background jobs (admin, auditor): counts by type and state, the newest jobs with their last
// error, refreshed every few seconds; an admin can put a job that failed for good back in the queue.
import { useEffect, useState } from 'react';
import { API, api, get, query } from '../api.ts';
import { navigate, useSearch, useTitle } from '../router.tsx';
import { useUser } from '../session.tsx';
import { ErrorBanner, formatDate, Loaded, useAction, useResource } from '../ui.tsx';
import { Pill } from '../widgets.tsx';

type JobState = 'queued' | 'running' | 'done' | 'failed';
type Job = {
  id: string;
  type: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  createdAt: string;
  finishedAt: string | null;
  lastError: string | null;
};
type JobsAnswer = { counts: { type: string; state: JobState; count: number }[]; items: Job[] };

const states: JobState[] = ['queued', 'running', 'failed', 'done'];
const tone = (state: JobState) =>
  state === 'failed' ? 'bad' : state === 'done' ? 'good' : state === 'running' ? 'warn' : 'plain';
const REFRESH_MS = 5000;

export function Jobs() {
  useTitle('Background jobs');
  const user = useUser();
  const search = useSearch();
  const state = search.get('state') ?? undefined;
  const type = search.get('type') ?? undefined;
  const key = `jobs:${state ?? ''}:${type ?? ''}`;
  const jobs = useResource(() => get<JobsAnswer>(`${API}/jobs${query({ state, type, limit: 100 })}`), key);
  const { reload } = jobs;
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const retry = useAction();
  const [retried, setRetried] = useState<string | null>(null);

  const filterTo = (next: { state?: string | undefined; type?: string | undefined }) =>
    navigate(`/jobs${query({ state: next.state, type: next.type })}`, { replace: true });

  const retryJob = async (job: Job) => {
    if ((await retry.run(() => api('POST', `${API}/jobs/${job.id}/retry`))) !== undefined) {
      setRetried(job.id);
      reload();
    }
  };

  return (
    <section>
      <h1>Background jobs</h1>
      <p className="hint">
        Mails, webhook deliveries, reminder scans and other work the server does in the background. Refreshed
        every {REFRESH_MS / 1000} seconds. A job is tried again with growing pauses before it fails for good.
      </p>
      <Loaded resource={jobs}>
        {({ counts, items }) => (
          <>
            <CountTable counts={counts} onPick={(pick) => filterTo(pick)} />
            <form className="actions" onSubmit={(event) => event.preventDefault()}>
              <label>
                State{' '}
                <select
                  value={state ?? ''}
                  onChange={(e) => filterTo({ state: e.target.value || undefined, type })}
                >
                  <option value="">Any</option>
                  {states.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
              {type && (
                <button type="button" className="secondary" onClick={() => filterTo({ state })}>
                  All types (now {type})
                </button>
              )}
            </form>
            {retry.error && <ErrorBanner error={retry.error} />}
            {retried && <p role="status">Job {retried} is back in the queue.</p>}
            {items.length === 0 ? (
              <p className="empty">No jobs match.</p>
            ) : (
              <div className="table-wrap">
                <table className="stack" id="jobs">
                  <thead>
                    <tr>
                      <th scope="col">Job</th>
                      <th scope="col">Type</th>
                      <th scope="col">State</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Queued</th>
                      <th scope="col">Next run or finished</th>
                      <th scope="col">Last error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((job) => (
                      <tr key={job.id}>
                        <td data-label="Job">{job.id}</td>
                        <td data-label="Type">
                          <code>{job.type}</code>
                        </td>
                        <td data-label="State">
                          <Pill tone={tone(job.state)}>{job.state}</Pill>
                        </td>
                        <td data-label="Attempts">
                          {job.attempts} of {job.maxAttempts}
                        </td>
                        <td data-label="Queued" className="nowrap">
                          {formatDate(job.createdAt)}
                        </td>
                        <td data-label={job.finishedAt ? 'Finished' : 'Next run'} className="nowrap">
                          {formatDate(job.finishedAt ?? job.runAt)}
                        </td>
                        <td data-label="Last error">
                          {job.lastError ?? '—'}
                          {job.state === 'failed' && user.role === 'admin' && (
                            <>
                              {' '}
                              <button
                                type="button"
                                className="secondary"
                                disabled={retry.busy}
                                onClick={() => retryJob(job)}
                              >
                                Retry
                              </button>
                            </>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function CountTable({
  counts,
  onPick,
}: {
  counts: JobsAnswer['counts'];
  onPick: (pick: { state: string; type: string }) => void;
}) {
  const types = [...new Set(counts.map((c) => c.type))].sort();
  if (types.length === 0) return <p className="empty">No background work has been queued yet.</p>;
  const countOf = (type: string, state: JobState) =>
    counts.find((c) => c.type === type && c.state === state)?.count ?? 0;
  return (
    <div className="table-wrap">
      <table id="job-counts">
        <caption>Jobs by type and state</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            {states.map((s) => (
              <th scope="col" key={s}>
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {types.map((type) => (
            <tr key={type}>
              <th scope="row">
                <code>{type}</code>
              </th>
              {states.map((state) => {
                const count = countOf(type, state);
                return (
                  <td key={state}>
                    {count === 0 ? (
                      '0'
                    ) : (
                      <button type="button" className="link-button" onClick={() => onPick({ state, type })}>
                        {count}
                      </button>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
