// One firmware version: its facts, its SBOM (upload with progress; the server's first error shown with
// its position), and the components the SBOM lists.
import { type FormEvent, useRef, useState } from 'react';
import { API, type ApiError, get, query, type UploadProgress, upload } from '../api.ts';
import { useTitle } from '../router.tsx';
import { can, useUser } from '../session.tsx';
import type { Component, Firmware, List, SbomSummary, SbomUploadResult } from '../types.ts';
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
  const [uploads, setUploads] = useState(0);
  useTitle(firmware.state === 'ready' ? `${firmware.data.model.name} ${firmware.data.version}` : 'Firmware');
  const uploaded = () => {
    firmware.reload();
    setUploads((n) => n + 1);
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
                      { to: `/inventory/products/${f.product.id}`, label: f.product.name },
                    ]
                  : [{ to: '/supplier', label: 'Your supplier' }]),
                { to: `/inventory/models/${f.model.id}`, label: f.model.name },
              ]}
            />
            <h1>
              {f.model.name} firmware <code>{f.version}</code>
            </h1>
            <dl className="facts">
              <dt>Product</dt>
              <dd>{f.product.name}</dd>
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
      {firmware.state === 'ready' && (
        <>
          <h2>Components</h2>
          <Components firmwareId={firmwareId} generation={uploads} />
        </>
      )}
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
  auto: { label: 'Detect from the file', type: null },
  'cyclonedx-json': { label: 'CycloneDX JSON', type: 'application/vnd.cyclonedx+json' },
  'cyclonedx-xml': { label: 'CycloneDX XML', type: 'application/vnd.cyclonedx+xml' },
  'spdx-json': { label: 'SPDX 2.3 JSON', type: 'application/spdx+json' },
} as const;
type Format = keyof typeof formats;

/** For "detect": a generic type by the file's first character, and the server reads the rest. */
async function genericType(file: File): Promise<string> {
  const head = await file.slice(0, 512).text();
  return /^\s*</.test(head) ? 'application/xml' : 'application/json';
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
  const [format, setFormat] = useState<Format>('auto');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<SbomUploadResult | null>(null);

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setError(null);
    setDone(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(null);
    setDone(null);
    setProgress({ loaded: 0, total: file.size });
    try {
      const type = formats[format].type ?? (await genericType(file));
      const answer = await upload<SbomUploadResult>(
        'PUT',
        `${API}/firmware/${firmwareId}/sbom`,
        file,
        type,
        setProgress,
      );
      setDone(answer);
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
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
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
          SBOM {done.replaced ? 'replaced' : 'stored'}: <strong>{done.counts.components} components</strong> (
          {done.format} {done.specVersion}; {done.counts.withPurl} with a package URL,{' '}
          {done.counts.withVersion} with a version, {done.counts.withLicence} with a licence,{' '}
          {done.counts.withHash} with a hash).
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

/**
 * Where in the file the first problem is. The server names it in the message, e.g. "(line 3, column
 * 14, at /components/0/purl)", and in fields.sbom as "3:14 /components/0/purl: reason".
 */
function positionOf(error: ApiError): string {
  const located = /\(((?:line \d+, column \d+)?(?:, )?(?:at [^)]*)?)\)/.exec(error.message);
  return located?.[1] ?? '';
}

/** The server's reason for refusing an SBOM, with where in the file the first problem is. */
function SbomError({ error }: { error: ApiError }) {
  const position = positionOf(error);
  return (
    <div className="sbom-error" id="sbom-error">
      <ErrorBanner error={error} title="The SBOM was refused" />
      {position && (
        <p className="error">
          First problem: <span className="mono">{position}</span>
        </p>
      )}
    </div>
  );
}

const PAGE = 100;

/** The components of the firmware's SBOM, a page at a time, with a filter on the name. */
function Components({ firmwareId, generation }: { firmwareId: string; generation: number }) {
  const [filter, setFilter] = useState('');
  const [name, setName] = useState('');
  const [offset, setOffset] = useState(0);
  const components = useResource(
    () =>
      get<List<Component>>(`${API}/firmware/${firmwareId}/components${query({ name, limit: PAGE, offset })}`),
    `firmware-components:${firmwareId}:${name}:${offset}:${generation}`,
  );
  const search = (event: FormEvent) => {
    event.preventDefault();
    setOffset(0);
    setName(filter.trim());
  };
  return (
    <>
      <form className="actions" onSubmit={search}>
        <label htmlFor="component-filter" className="visually-hidden">
          Filter components by name
        </label>
        <input
          id="component-filter"
          type="search"
          placeholder="Filter by name, e.g. openssl"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className="inline-input"
        />
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      <Loaded resource={components}>
        {(list) => (
          <>
            <ComponentTable
              components={list.items}
              total={list.total}
              offset={list.offset}
              filtered={name !== ''}
            />
            {list.total > PAGE && (
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  disabled={offset === 0}
                  onClick={() => setOffset(offset - PAGE)}
                >
                  Previous
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={offset + PAGE >= list.total}
                  onClick={() => setOffset(offset + PAGE)}
                >
                  Next
                </button>
              </div>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}

export function ComponentTable({
  components,
  total,
  offset,
  filtered,
}: {
  components: Component[];
  total: number;
  offset: number;
  filtered: boolean;
}) {
  if (components.length === 0) {
    return (
      <p className="empty">
        {filtered ? 'No component has that in its name.' : 'No components: upload an SBOM to list them.'}
      </p>
    );
  }
  const range =
    total > components.length ? `${offset + 1}–${offset + components.length} of ${total}` : `${total}`;
  return (
    <div className="table-wrap">
      <table className="stack" id="components">
        <caption>{range} components</caption>{' '}
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
