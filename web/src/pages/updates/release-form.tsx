// Upload a firmware file for a model (with progress) and release it: version, hardware revisions,
// the versions it may be installed over, notes. The release then waits for the targets signing.
import { type FormEvent, useState } from 'react';
import { API, api, type UploadProgress, upload } from '../../api.ts';
import { ErrorBanner, Field, formatBytes, Notice, useAction } from '../../ui.tsx';
import type { UpdatableModel } from './models.ts';
import type { Artifact, Release } from './types.ts';

export function ReleaseForm({ model, onReleased }: { model: UpdatableModel; onReleased: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [version, setVersion] = useState('');
  const [revisions, setRevisions] = useState<string[]>(model.hardwareRevisions);
  const [installOver, setInstallOver] = useState('*');
  const [notes, setNotes] = useState('');
  const [done, setDone] = useState<Release | null>(null);
  const [fileInput, setFileInput] = useState(0);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setDone(null);
    const release = await action.run(async () => {
      const artifact = await upload<Artifact>(
        'POST',
        `${API}/models/${model.id}/artifacts?fileName=${encodeURIComponent(file.name)}`,
        file,
        'application/octet-stream',
        setProgress,
      );
      return api<Release>('POST', `${API}/models/${model.id}/releases`, {
        artifactId: artifact.id,
        version,
        hardwareRevisions: revisions,
        installOver,
        ...(notes ? { notes } : {}),
      });
    });
    if (release) {
      setDone(release);
      setFile(null);
      setFileInput((n) => n + 1); // a fresh, empty file input
      setProgress(null);
      onReleased();
    }
  };

  return (
    <form className="panel" id="release-form" onSubmit={(event) => void submit(event)}>
      <h2>Release new firmware for {model.name}</h2>
      {done && (
        <Notice>
          Release {done.version} created. It waits for the targets signing ceremony before devices can fetch
          it.
        </Notice>
      )}
      {action.error && <ErrorBanner error={action.error} />}
      <Field
        label="Firmware file"
        hint="Streamed to the server; SHA-256 and SHA-512 are computed on the way in."
      >
        {(props) => (
          <input
            {...props}
            key={fileInput}
            type="file"
            required
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      {progress && (
        <p className="upload-status">
          <progress value={progress.loaded} max={progress.total || undefined} />{' '}
          {formatBytes(progress.loaded)}
          {progress.total > 0 && ` of ${formatBytes(progress.total)}`}
        </p>
      )}
      <div className="inline-fields">
        <Field label="Version" error={action.error?.fields.version}>
          {(props) => (
            <input
              {...props}
              type="text"
              required
              value={version}
              onChange={(event) => setVersion(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="Installs over"
          hint="The installed versions it may replace, e.g. >= 2.0.0, < 2.4.1 (* for any)"
          error={action.error?.fields.installOver}
        >
          {(props) => (
            <input
              {...props}
              type="text"
              required
              value={installOver}
              onChange={(event) => setInstallOver(event.target.value)}
            />
          )}
        </Field>
      </div>
      <fieldset>
        <legend>Hardware revisions it runs on</legend>
        {model.hardwareRevisions.map((revision) => (
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
      <Field label="Release notes">
        {(props) => (
          <textarea {...props} rows={3} value={notes} onChange={(event) => setNotes(event.target.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={action.busy || !file || revisions.length === 0}>
          {action.busy ? 'Uploading…' : 'Upload and release'}
        </button>
      </div>
    </form>
  );
}
