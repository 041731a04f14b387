// Bulk export (JSON, CSV) and import of the inventory.
import { type FormEvent, useState } from 'react';
import { API, type ApiError, upload } from '../api.ts';
import type { ImportCounts, ImportResult } from '../types.ts';
import { asApiError, ErrorBanner, Field, Notice } from '../ui.tsx';

export function ExportImport({ canImport, onImported }: { canImport: boolean; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [dryRun, setDryRun] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const type = file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : 'application/json';
      const answer = await upload<ImportResult>(
        'POST',
        `${API}/inventory/import${dryRun ? '?dryRun=true' : ''}`,
        file,
        type,
        () => {},
      );
      setResult(answer);
      if (!answer.dryRun) onImported();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel">
      <h2>Export and import</h2>
      <p>
        Download the whole inventory as <a href={`${API}/inventory/export?format=json`}>JSON</a> or{' '}
        <a href={`${API}/inventory/export?format=csv`}>CSV</a>.
      </p>
      {canImport && (
        <form onSubmit={submit}>
          <Field
            label="Import a file"
            hint="The same JSON or CSV shape as the export. Entries are matched by identifier and version; nothing is saved unless the whole file is valid."
          >
            {(p) => (
              <input
                {...p}
                type="file"
                accept=".json,.csv"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            )}
          </Field>
          {error && <ErrorBanner error={error} title="The import was refused" />}
          {result && (
            <Notice>
              {result.dryRun ? 'Checked, nothing saved: the file would change ' : 'Imported: '}
              {summarize(result)}.
            </Notice>
          )}
          <label className="check">
            <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
            Only check the file (save nothing)
          </label>
          <button type="submit" disabled={!file || busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </form>
      )}
    </div>
  );
}

function summarize(result: ImportResult): string {
  const part = (what: string, c: ImportCounts) =>
    `${what}: ${c.created} new, ${c.updated} changed, ${c.unchanged} unchanged`;
  return [
    part('products', result.products),
    part('models', result.models),
    part('firmware', result.firmware),
  ].join('; ');
}
