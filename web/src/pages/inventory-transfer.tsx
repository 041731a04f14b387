// Bulk export (JSON, CSV) and import of the inventory.
import { type FormEvent, useState } from 'react';
import { API, type ApiError, upload } from '../api.ts';
import { asApiError, ErrorBanner, Field, Notice } from '../ui.tsx';

export function ExportImport({ canImport, onImported }: { canImport: boolean; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<Record<string, unknown> | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const type = file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : 'application/json';
      const answer = await upload<Record<string, unknown>>(
        'POST',
        `${API}/inventory/import`,
        file,
        type,
        () => {},
      );
      setResult(answer);
      onImported();
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
            hint="The same JSON or CSV shape as the export; existing entries are updated."
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
          {result && <Notice>Imported: {summarize(result)}</Notice>}
          <button type="submit" disabled={!file || busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </form>
      )}
    </div>
  );
}

function summarize(result: Record<string, unknown>): string {
  const counts = Object.entries(result).filter(([, v]) => typeof v === 'number');
  return counts.length > 0 ? counts.map(([k, v]) => `${v} ${k}`).join(', ') : 'done';
}
