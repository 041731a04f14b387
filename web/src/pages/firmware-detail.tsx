// One firmware version: its facts, its SBOM (upload with progress; the server's first error shown with
// its position), and the components the SBOM lists.
import { type FormEvent, useRef, useState } from 'react';
import { API, type ApiError, get, type UploadProgress, upload } from '../api.ts';
import { useTitle } from '../router.tsx';
import { can, useUser } from '../session.tsx';
import type { Component, Firmware, List, SbomSummary } from '../types.ts';
import {
  asApiError,
  ErrorBanner,
  Field,
  formatBytes,
  formatDate,
  Loaded,
  Notice,
  useResource,
} from '../ui.tsx';
import { Breadcrumbs } from '../widgets.tsx';

export function FirmwareDetail({ firmwareId }: { firmwareId: string }) {
  const user = useUser();
  const firmware = useResource(
    () => get<Firmware>(`${API}/firmware/${firmwareId}`),
    `firmware:${firmwareId}`,
  );
  const components = useResource(
    () => get<List<Component>>(`${API}/firmware/${firmwareId}/components`),
    `firmware-components:${firmwareId}`,
  );
  useTitle(firmware.state === 'ready' ? `${firmware.data.modelName} ${firmware.data.version}` : 'Firmware');
  const uploaded = () => {
    firmware.reload();
    components.reload();
  };
  return (
    <section>
      <Loaded resource={firmware}>
        {(f) => (
          <>
            <Breadcrumbs
              trail={[
                ...(can.seeAllInventory(user)
                  ? [
                      { to: '/inventory', label: 'Inventory' },
                      { to: `/inventory/products/${f.productId}`, label: f.productName },
                    ]
                  : [{ to: '/supplier', label: 'Your supplier' }]),
                { to: `/inventory/models/${f.modelId}`, label: f.modelName },
              ]}
            />
            <h1>
              {f.modelName} firmware <code>{f.version}</code>
            </h1>
            <dl className="facts">
              <dt>Product</dt>
              <dd>{f.productName}</dd>
              <dt>Released</dt>
              <dd>{formatDate(f.releaseDate)}</dd>
              <dt>Notes</dt>
              <dd>{f.notes || '—'}</dd>
            </dl>
            <h2>Software bill of materials</h2>
            <SbomFacts sbom={f.sbom} />
            {can.uploadSbom(user) && (
              <SbomUpload firmwareId={f.id} replacing={f.sbom !== null} onUploaded={uploaded} />
            )}
          </>
        )}
      </Loaded>
      <h2>Components</h2>
      <Loaded resource={components}>{(list) => <ComponentTable components={list.items} />}</Loaded>
    </section>
  );
}

function SbomFacts({ sbom }: { sbom: SbomSummary | null }) {
  if (!sbom) return <p className="empty">No SBOM uploaded for this firmware yet.</p>;
  return (
    <dl className="facts" id="sbom-facts">
      <dt>Format</dt>
      <dd>
        {sbom.format} {sbom.specVersion}
      </dd>
      <dt>Components</dt>
      <dd>{sbom.componentCount}</dd>
      <dt>Uploaded</dt>
      <dd>
        {formatDate(sbom.uploadedAt)} by {sbom.uploadedBy}
      </dd>
      <dt>File</dt>
      <dd>
        {formatBytes(sbom.size)}, SHA-256 <code>{sbom.sha256}</code>
      </dd>
      {sbom.serialNumber && (
        <>
          <dt>Serial number</dt>
          <dd>
            <code>{sbom.serialNumber}</code>
          </dd>
        </>
      )}
    </dl>
  );
}

const formats = {
  'cyclonedx-json': { label: 'CycloneDX JSON', type: 'application/vnd.cyclonedx+json' },
  'cyclonedx-xml': { label: 'CycloneDX XML', type: 'application/vnd.cyclonedx+xml' },
  'spdx-json': { label: 'SPDX 2.3 JSON', type: 'application/spdx+json' },
} as const;
type Format = keyof typeof formats;

/** Guesses the format from the first bytes of the file; the person can correct it. */
async function guessFormat(file: File): Promise<Format> {
  const head = await file.slice(0, 4096).text();
  if (/^\s*</.test(head) || file.name.endsWith('.xml')) return 'cyclonedx-xml';
  if (/"spdxVersion"/.test(head) || /\.spdx\.json$/.test(file.name)) return 'spdx-json';
  return 'cyclonedx-json';
}

function SbomUpload({
  firmwareId,
  replacing,
  onUploaded,
}: {
  firmwareId: string;
  replacing: boolean;
  onUploaded: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('cyclonedx-json');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<SbomSummary | null>(null);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setError(null);
    setDone(null);
    if (chosen) setFormat(await guessFormat(chosen));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(null);
    setDone(null);
    setProgress({ loaded: 0, total: file.size });
    try {
      const answer = await upload<SbomSummary | { sbom: SbomSummary }>(
        'PUT',
        `${API}/firmware/${firmwareId}/sbom`,
        file,
        formats[format].type,
        setProgress,
      );
      setDone('sbom' in answer ? answer.sbom : answer);
      setFile(null);
      if (input.current) input.current.value = '';
      onUploaded();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setProgress(null);
    }
  };

  const percent =
    progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : null;
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="sbom-upload-title">
      <h3 id="sbom-upload-title">{replacing ? 'Replace the SBOM' : 'Upload an SBOM'}</h3>
      <p className="hint">
        CycloneDX 1.4–1.6 (JSON or XML) or SPDX 2.3 JSON. A file with an error is refused as a whole; nothing
        of it is stored.
      </p>
      <Field label="SBOM file">
        {(p) => (
          <input
            {...p}
            ref={input}
            type="file"
            name="sbom"
            accept=".json,.xml,application/json,application/xml"
            onChange={(e) => void choose(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <Field label="Format">
        {(p) => (
          <select {...p} value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {Object.entries(formats).map(([key, f]) => (
              <option key={key} value={key}>
                {f.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {progress && (
        <div className="upload-status" role="status" aria-live="polite">
          <label htmlFor="sbom-progress">
            Uploading {file?.name}: {percent === null ? formatBytes(progress.loaded) : `${percent} %`}
          </label>
          <progress id="sbom-progress" max={progress.total || undefined} value={progress.loaded} />
        </div>
      )}
      {error && <SbomError error={error} />}
      {done && (
        <Notice>
          SBOM stored: <strong>{done.componentCount} components</strong> ({done.format} {done.specVersion}).
        </Notice>
      )}
      <div className="actions">
        <button type="submit" disabled={!file || progress !== null}>
          {progress ? 'Uploading…' : 'Upload SBOM'}
        </button>
      </div>
    </form>
  );
}

/** The server's reason for refusing an SBOM, with where in the file the first error is. */
function SbomError({ error }: { error: ApiError }) {
  const b = error.body;
  const position = [
    typeof b.line === 'number' ? `line ${b.line}` : '',
    typeof b.column === 'number' ? `column ${b.column}` : '',
    typeof b.path === 'string' && b.path ? `at ${b.path}` : '',
    typeof b.pointer === 'string' && b.pointer ? `at ${b.pointer}` : '',
    typeof b.position === 'string' ? b.position : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div className="sbom-error">
      <ErrorBanner error={error} title="The SBOM was refused" />
      {position && (
        <p className="error">
          First error: <span className="mono">{position}</span>
        </p>
      )}
    </div>
  );
}

export function ComponentTable({ components }: { components: Component[] }) {
  if (components.length === 0) return <p className="empty">No components: upload an SBOM to list them.</p>;
  return (
    <div className="table-wrap">
      <table className="stack" id="components">
        <caption>{components.length} components</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Package URL</th>
            <th scope="col">Supplier</th>
            <th scope="col">Licences</th>
          </tr>
        </thead>
        <tbody>
          {components.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an SBOM may list the same component twice; rows never reorder
            <tr key={`${c.purl ?? c.name}-${i}`}>
              <td data-label="Name">{c.name}</td>
              <td data-label="Version">
                <code>{c.version ?? '—'}</code>
              </td>
              <td data-label="Package URL">{c.purl ? <code>{c.purl}</code> : '—'}</td>
              <td data-label="Supplier">{c.supplier ?? '—'}</td>
              <td data-label="Licences">{c.licences.join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
