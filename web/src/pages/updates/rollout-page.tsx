// One rollout: its state and the actions it allows (start, pause, resume, abort with a reason), the
// progress of each stage as a chart and a table, its settings and its events. Refreshes every five
// seconds while it runs.
import { type FormEvent, useEffect, useState } from 'react';
import { API, api, get } from '../../api.ts';
import { useTitle } from '../../router.tsx';
import { useUser } from '../../session.tsx';
import { ErrorBanner, Field, formatDate, Loaded, useAction, useResource } from '../../ui.tsx';
import { Breadcrumbs, Pill } from '../../widgets.tsx';
import { changesUpdates } from './models.ts';
import { StageProgress } from './stage-progress.tsx';
import './updates.css';
import { type RolloutDetail, rolloutTone } from './types.ts';

type Action = 'start' | 'pause' | 'resume' | 'abort';

const actionsFor: Record<RolloutDetail['state'], Action[]> = {
  draft: ['start', 'abort'],
  running: ['pause', 'abort'],
  paused: ['resume', 'abort'],
  halted: ['resume', 'abort'],
  completed: ['abort'],
  aborted: [],
};

const labels: Record<Action, string> = { start: 'Start', pause: 'Pause', resume: 'Resume', abort: 'Abort' };

export function RolloutPage({ rolloutId }: { rolloutId: string }) {
  useTitle('Rollout');
  const rollout = useResource(() => get<RolloutDetail>(`${API}/rollouts/${rolloutId}`), rolloutId);
  const running = rollout.state === 'ready' && rollout.data.state === 'running';
  const { reload } = rollout;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 5_000);
    return () => clearInterval(timer);
  }, [running, reload]);
  return (
    <section>
      <Breadcrumbs trail={[{ to: '/updates', label: 'Remote updates' }]} />
      <Loaded resource={rollout}>{(data) => <RolloutBody rollout={data} onChanged={reload} />}</Loaded>
    </section>
  );
}

function RolloutBody({ rollout, onChanged }: { rollout: RolloutDetail; onChanged: () => void }) {
  const user = useUser();
  return (
    <>
      <div className="page-head">
        <h1>Rollout of {rollout.releaseVersion}</h1>
      </div>
      <p>
        <Pill tone={rolloutTone(rollout.state)}>{rollout.state}</Pill>{' '}
        <span id="rollout-stage">
          Stage {rollout.currentStage + 1} of {rollout.stages.length}
        </span>
        {rollout.stageStartedAt && <span className="muted"> since {formatDate(rollout.stageStartedAt)}</span>}
        {rollout.state === 'running' && <span className="muted"> · refreshes every 5 seconds</span>}
      </p>
      {changesUpdates(user) && actionsFor[rollout.state].length > 0 && (
        <RolloutActions rollout={rollout} onChanged={onChanged} />
      )}
      <StageProgress stats={rollout.stats} currentStage={rollout.currentStage} />
      <Settings rollout={rollout} />
      <Events rollout={rollout} />
    </>
  );
}

function RolloutActions({ rollout, onChanged }: { rollout: RolloutDetail; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const act = async (name: Action) => {
    const done = await action.run(() =>
      api<RolloutDetail>(
        'POST',
        `${API}/rollouts/${rollout.id}/${name}`,
        reason.trim() ? { reason: reason.trim() } : {},
      ),
    );
    if (done) {
      setReason('');
      onChanged();
    }
  };
  const submit = (event: FormEvent) => event.preventDefault();
  return (
    <form className="panel" id="rollout-actions" onSubmit={submit}>
      {action.error && <ErrorBanner error={action.error} />}
      <Field
        label="Reason"
        hint={
          rollout.state === 'halted'
            ? 'Needed to resume a halted rollout (what the review of the failures found) and to abort.'
            : 'Needed to abort; recorded with any action.'
        }
      >
        {(props) => (
          <input {...props} type="text" value={reason} onChange={(event) => setReason(event.target.value)} />
        )}
      </Field>
      <div className="actions">
        {actionsFor[rollout.state].map((name) => (
          <button
            key={name}
            type="button"
            className={name === 'abort' ? 'danger' : name === 'pause' ? 'secondary' : undefined}
            disabled={action.busy}
            onClick={() => void act(name)}
          >
            {labels[name]}
          </button>
        ))}
      </div>
    </form>
  );
}

function Settings({ rollout }: { rollout: RolloutDetail }) {
  const { selector } = rollout;
  return (
    <details className="panel" id="rollout-settings">
      <summary>Settings</summary>
      <dl className="facts">
        <dt>Hardware revisions</dt>
        <dd>{selector.hardwareRevisions.join(', ') || 'all the release runs on'}</dd>
        <dt>Installed versions</dt>
        <dd>
          <code>{selector.installedVersions}</code>
        </dd>
        <dt>Tags</dt>
        <dd>{selector.tags.join(', ') || 'any'}</dd>
        <dt>Regions</dt>
        <dd>{selector.regions.join(', ') || 'any'}</dd>
        <dt>Stages</dt>
        <dd>
          {rollout.stages
            .map((stage) => `${stage.percent}% (≥ ${stage.minMinutes} min, ≥ ${stage.minReports} reports)`)
            .join(' → ')}
        </dd>
        <dt>Halts at</dt>
        <dd>
          {rollout.failureThreshold}% failed installs after {rollout.minReportsBeforeHalt} reports
        </dd>
        <dt>Mode</dt>
        <dd>{rollout.mode}</dd>
        <dt>Maintenance window</dt>
        <dd>
          {rollout.maintenanceWindow
            ? `${rollout.maintenanceWindow.start}–${rollout.maintenanceWindow.end} local time`
            : 'any time'}
        </dd>
        <dt>Created</dt>
        <dd>
          {formatDate(rollout.createdAt)} by {rollout.createdBy}
        </dd>
      </dl>
    </details>
  );
}

function Events({ rollout }: { rollout: RolloutDetail }) {
  return (
    <div className="panel" id="rollout-events">
      <h2>Events</h2>
      {rollout.events.length === 0 ? (
        <p className="empty">Nothing has happened yet.</p>
      ) : (
        <ol className="plain">
          {[...rollout.events].reverse().map((event, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and never reorder
            <li key={index}>
              <strong>{event.action}</strong> {event.from ? `${event.from} → ${event.to}` : event.to}, stage{' '}
              {event.stage + 1}{' '}
              <span className="muted">
                {formatDate(event.at)} by {event.actor}
              </span>
              {event.reason && <div>Reason: {event.reason}</div>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
