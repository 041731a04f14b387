// Remote updates: the releases of each updatable model (with their signing state and firmware file),
// a form to upload firmware and release it, and the rollouts with their states.
import { useState } from 'react';
import { API, get } from '../../api.ts';
import { Link, useTitle } from '../../router.tsx';
import type { User } from '../../session.tsx';
import { formatBytes, formatDate, Loaded, useResource } from '../../ui.tsx';
import { Pill } from '../../widgets.tsx';
import { changesUpdates, loadUpdatableModels, type UpdatableModel } from './models.ts';
import { ReleaseForm } from './release-form.tsx';
import './updates.css';
import { type Release, type Rollout, rolloutTone } from './types.ts';

const releaseTone = { 'awaiting-signature': 'warn', signed: 'good', withdrawn: 'bad' } as const;

export function UpdatesHome({ user }: { user: User }) {
  useTitle('Remote updates');
  const models = useResource(loadUpdatableModels, 'models');
  const rollouts = useResource(() => get<{ items: Rollout[] }>(`${API}/rollouts`), 'rollouts');
  return (
    <section>
      <div className="page-head">
        <h1>Remote updates</h1>
      </div>
      <Loaded resource={models}>
        {(list) => (
          <>
            <ModelReleases models={list} user={user} />
            <Loaded resource={rollouts}>{(data) => <RolloutList items={data.items} models={list} />}</Loaded>
          </>
        )}
      </Loaded>
    </section>
  );
}

function ModelReleases({ models, user }: { models: UpdatableModel[]; user: User }) {
  const [modelId, setModelId] = useState(models[0]?.id ?? '');
  const model = models.find((item) => item.id === modelId);
  const releases = useResource(
    () =>
      modelId
        ? get<{ items: Release[] }>(`${API}/models/${modelId}/releases`)
        : Promise.resolve({ items: [] }),
    modelId,
  );
  if (models.length === 0) {
    return (
      <p className="empty">No model can be updated over the air yet: mark one as such in the inventory.</p>
    );
  }
  return (
    <>
      <div className="panel" id="releases">
        <h2>Releases</h2>
        <div className="field">
          <label htmlFor="release-model">Model</label>
          <select id="release-model" value={modelId} onChange={(event) => setModelId(event.target.value)}>
            {models.map((item) => (
              <option key={item.id} value={item.id}>
                {item.productName} · {item.name}
              </option>
            ))}
          </select>
        </div>
        <Loaded resource={releases}>
          {(data) =>
            data.items.length === 0 ? (
              <p className="empty">No releases of this model yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="stack">
                  <caption className="visually-hidden">Releases of {model?.name}</caption>
                  <thead>
                    <tr>
                      <th>Version</th>
                      <th>State</th>
                      <th>Firmware file</th>
                      <th>Revisions</th>
                      <th>Installs over</th>
                      <th>Created</th>
                      <th>
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((release) => (
                      <tr key={release.id}>
                        <td data-label="Version">
                          <strong>{release.version}</strong>
                        </td>
                        <td data-label="State">
                          <Pill tone={releaseTone[release.state]}>{release.state}</Pill>
                        </td>
                        <td data-label="Firmware file">
                          {release.artifact.fileName}{' '}
                          <span className="muted">
                            {formatBytes(release.artifact.size)}, sha256{' '}
                            {release.artifact.sha256.slice(0, 12)}…
                          </span>
                        </td>
                        <td data-label="Revisions">{release.hardwareRevisions.join(', ')}</td>
                        <td data-label="Installs over">
                          <code>{release.installOver}</code>
                        </td>
                        <td data-label="Created">{formatDate(release.createdAt)}</td>
                        <td data-label="Actions">
                          {release.state === 'signed' && changesUpdates(user) && (
                            <Link to={`/updates/rollouts/new?release=${release.id}`}>New rollout</Link>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
      </div>
      {model && changesUpdates(user) && (
        <ReleaseForm key={model.id} model={model} onReleased={releases.reload} />
      )}
    </>
  );
}

function RolloutList({ items, models }: { items: Rollout[]; models: UpdatableModel[] }) {
  const names = new Map(models.map((model) => [model.id, model.name]));
  return (
    <div className="panel" id="rollouts">
      <h2>Rollouts</h2>
      {items.length === 0 ? (
        <p className="empty">No rollouts yet. Start one from a signed release.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack">
            <caption className="visually-hidden">Rollouts, newest first</caption>
            <thead>
              <tr>
                <th>Release</th>
                <th>State</th>
                <th>Stage</th>
                <th>Mode</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {items.map((rollout) => (
                <tr key={rollout.id}>
                  <td data-label="Release">
                    <Link to={`/updates/rollouts/${rollout.id}`}>
                      {names.get(rollout.modelId) ?? 'Model'} {rollout.releaseVersion}
                    </Link>
                  </td>
                  <td data-label="State">
                    <Pill tone={rolloutTone(rollout.state)}>{rollout.state}</Pill>
                  </td>
                  <td data-label="Stage">
                    {rollout.currentStage + 1} of {rollout.stages.length}
                  </td>
                  <td data-label="Mode">{rollout.mode}</td>
                  <td data-label="Created">
                    {formatDate(rollout.createdAt)} by {rollout.createdBy}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
