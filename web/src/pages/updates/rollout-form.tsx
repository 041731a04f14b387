// A new rollout of a signed release: which devices (selector), in which stages, when to halt, how to
// install and when; a live preview of how many devices are selected and how many each stage reaches.
// Created as a draft, then started from the same screen.
import { type FormEvent, useEffect, useState } from 'react';
import { API, api, get } from '../../api.ts';
import { navigate, useSearch, useTitle } from '../../router.tsx';
import { ErrorBanner, Field, Loaded, type Resource, useAction, useResource } from '../../ui.tsx';
import { Breadcrumbs } from '../../widgets.tsx';
import './updates.css';
import type { Preview, Release, RolloutDetail, RolloutMode, StageSpec } from './types.ts';

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const defaultStages: StageSpec[] = [
  { percent: 5, minMinutes: 60, minReports: 10 },
  { percent: 25, minMinutes: 240, minReports: 50 },
  { percent: 100, minMinutes: 0, minReports: 0 },
];

export function RolloutForm() {
  useTitle('New rollout');
  const releaseId = useSearch().get('release') ?? '';
  const release = useResource(() => get<Release>(`${API}/releases/${releaseId}`), releaseId);
  return (
    <section>
      <Breadcrumbs trail={[{ to: '/updates', label: 'Remote updates' }]} />
      <div className="page-head">
        <h1>New rollout</h1>
      </div>
      {releaseId ? (
        <Loaded resource={release}>{(data) => <RolloutEditor release={data} />}</Loaded>
      ) : (
        <p className="empty">Choose a signed release on the Remote updates page first.</p>
      )}
    </section>
  );
}

function RolloutEditor({ release }: { release: Release }) {
  const [revisions, setRevisions] = useState<string[]>([]);
  const [installed, setInstalled] = useState('');
  const [tags, setTags] = useState('');
  const [regions, setRegions] = useState('');
  const [stages, setStages] = useState<StageSpec[]>(defaultStages);
  const [threshold, setThreshold] = useState(5);
  const [minReports, setMinReports] = useState(10);
  const [mode, setMode] = useState<RolloutMode>('soft');
  const [windowStart, setWindowStart] = useState('');
  const [windowEnd, setWindowEnd] = useState('');
  const action = useAction();

  const selector = {
    ...(revisions.length > 0 ? { hardwareRevisions: revisions } : {}),
    ...(installed.trim() ? { installedVersions: installed.trim() } : {}),
    ...(list(tags).length > 0 ? { tags: list(tags) } : {}),
    ...(list(regions).length > 0 ? { regions: list(regions) } : {}),
  };
  const previewBody = JSON.stringify({ releaseId: release.id, selector, stages });
  const preview = usePreview(previewBody);

  const setStage = (index: number, field: keyof StageSpec, value: number) =>
    setStages((now) => now.map((stage, i) => (i === index ? { ...stage, [field]: value } : stage)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await action.run(() =>
      api<RolloutDetail>('POST', `${API}/rollouts`, {
        releaseId: release.id,
        selector,
        stages,
        failureThreshold: threshold,
        minReportsBeforeHalt: minReports,
        mode,
        maintenanceWindow: windowStart && windowEnd ? { start: windowStart, end: windowEnd } : null,
      }),
    );
    if (created) navigate(`/updates/rollouts/${created.id}`);
  };

  return (
    <form id="rollout-form" onSubmit={(event) => void submit(event)}>
      <p>
        Release <strong>{release.version}</strong> for hardware revisions{' '}
        {release.hardwareRevisions.join(', ')}, installs over <code>{release.installOver}</code>.
      </p>
      {action.error && <ErrorBanner error={action.error} />}
      <div className="panel">
        <h2>Devices</h2>
        <fieldset>
          <legend>Hardware revisions (none checked: all the release runs on)</legend>
          {release.hardwareRevisions.map((revision) => (
            <label key={revision} className="check">
              <input
                type="checkbox"
                checked={revisions.includes(revision)}
                onChange={(event) =>
                  setRevisions((now) =>
                    event.target.checked ? [...now, revision] : now.filter((other) => other !== revision),
                  )
                }
              />{' '}
              {revision}
            </label>
          ))}
        </fieldset>
        <div className="inline-fields">
          <Field label="Installed versions" hint="A version range, e.g. >= 2.0, < 2.4 (empty: any)">
            {(props) => (
              <input
                {...props}
                type="text"
                value={installed}
                onChange={(event) => setInstalled(event.target.value)}
              />
            )}
          </Field>
          <Field label="Tags" hint="Comma-separated; a device with any of them">
            {(props) => (
              <input {...props} type="text" value={tags} onChange={(event) => setTags(event.target.value)} />
            )}
          </Field>
          <Field label="Regions" hint="Comma-separated IANA time zones, e.g. Europe/Berlin">
            {(props) => (
              <input
                {...props}
                type="text"
                value={regions}
                onChange={(event) => setRegions(event.target.value)}
              />
            )}
          </Field>
        </div>
      </div>

      <div className="panel">
        <h2>Stages</h2>
        <div className="table-wrap">
          <table className="stage-rows">
            <caption className="visually-hidden">
              Stages: percent of the selected devices, minimum time and reports
            </caption>
            <thead>
              <tr>
                <th>Stage</th>
                <th>Percent</th>
                <th>Min minutes</th>
                <th>Min reports</th>
                <th>
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {stages.map((stage, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the list
                <tr key={index}>
                  <td>{index + 1}</td>
                  {(['percent', 'minMinutes', 'minReports'] as const).map((field) => (
                    <td key={field}>
                      <input
                        type="number"
                        aria-label={`Stage ${index + 1} ${field === 'percent' ? 'percent' : field === 'minMinutes' ? 'minimum minutes' : 'minimum reports'}`}
                        min={field === 'percent' ? 0.01 : 0}
                        max={field === 'percent' ? 100 : undefined}
                        step={field === 'percent' ? 0.01 : 1}
                        required
                        value={stage[field]}
                        onChange={(event) => setStage(index, field, Number(event.target.value))}
                      />
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      disabled={stages.length === 1}
                      onClick={() => setStages((now) => now.filter((_, i) => i !== index))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={stages.length >= 20}
            onClick={() => setStages((now) => [...now, { percent: 100, minMinutes: 0, minReports: 0 }])}
          >
            Add stage
          </button>
        </div>
        <PreviewView preview={preview} />
      </div>

      <div className="panel">
        <h2>Safety and timing</h2>
        <div className="inline-fields">
          <Field label="Failure threshold (%)" hint="Halt when a stage’s failed installs pass this share">
            {(props) => (
              <input
                {...props}
                type="number"
                min={0}
                max={100}
                step={0.1}
                required
                value={threshold}
                onChange={(event) => setThreshold(Number(event.target.value))}
              />
            )}
          </Field>
          <Field label="Min reports before halt" hint="Install reports needed before judging">
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                required
                value={minReports}
                onChange={(event) => setMinReports(Number(event.target.value))}
              />
            )}
          </Field>
          <Field label="Mode">
            {(props) => (
              <select
                {...props}
                value={mode}
                onChange={(event) => setMode(event.target.value as RolloutMode)}
              >
                <option value="soft">Soft (the owner confirms)</option>
                <option value="forced">Forced</option>
                <option value="download-only">Download only</option>
              </select>
            )}
          </Field>
        </div>
        <div className="inline-fields">
          <Field label="Maintenance window from" hint="Local time in the device’s region (empty: any time)">
            {(props) => (
              <input
                {...props}
                type="time"
                value={windowStart}
                onChange={(event) => setWindowStart(event.target.value)}
              />
            )}
          </Field>
          <Field label="Maintenance window until">
            {(props) => (
              <input
                {...props}
                type="time"
                value={windowEnd}
                onChange={(event) => setWindowEnd(event.target.value)}
              />
            )}
          </Field>
        </div>
      </div>
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Creating…' : 'Create draft'}
        </button>
      </div>
    </form>
  );
}

/** The preview for the form as it is, asked again half a second after the last change. */
function usePreview(body: string): { resource: Resource<Preview>; stale: boolean } {
  const [settled, setSettled] = useState(body);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(body), 500);
    return () => clearTimeout(timer);
  }, [body]);
  const resource = useResource(
    () => api<Preview>('POST', `${API}/rollouts/preview`, JSON.parse(settled)),
    settled,
  );
  return { resource, stale: settled !== body };
}

function PreviewView({
  preview: { resource, stale },
}: {
  preview: { resource: Resource<Preview>; stale: boolean };
}) {
  return (
    <div id="rollout-preview" className="preview" aria-live="polite">
      <h3>Preview{stale && <span className="muted"> (updating…)</span>}</h3>
      <Loaded resource={resource}>
        {(data) => (
          <>
            <p>
              <strong>{data.selected}</strong> devices selected.
            </p>
            <ol>
              {data.stages.map((stage, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: stages are positions
                <li key={index}>
                  Stage {index + 1} ({stage.percent}%): {stage.devices} devices
                </li>
              ))}
            </ol>
          </>
        )}
      </Loaded>
    </div>
  );
}
