// Building blocks every screen uses: loading a resource, loading and error states, form fields.
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from './api.ts';

export type Resource<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'error'; error: ApiError; reload: () => void }
  | { state: 'ready'; data: T; reload: () => void; refreshing: boolean };

/** Loads `load()` when `key` changes; `reload` fetches again keeping the current data on screen. */
export function useResource<T>(load: () => Promise<T>, key: string): Resource<T> {
  const [value, setValue] = useState<{ key: string; data: T } | { key: string; error: ApiError } | null>(
    null,
  );
  const [generation, setGeneration] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const loader = useRef(load);
  loader.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger
  useEffect(() => {
    let live = true;
    setRefreshing(true);
    loader
      .current()
      .then((data) => live && setValue({ key, data }))
      .catch((error: unknown) => live && setValue({ key, error: asApiError(error) }))
      .finally(() => live && setRefreshing(false));
    return () => {
      live = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  if (!value || value.key !== key) return { state: 'loading', reload };
  if ('error' in value) return { state: 'error', error: value.error, reload };
  return { state: 'ready', data: value.data, reload, refreshing };
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, {
    error: 'CLIENT',
    message: error instanceof Error ? error.message : String(error),
  });
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}
    </p>
  );
}

/** The API's message in a banner, its field reasons listed, and a retry button when one helps. */
export function ErrorBanner({
  error,
  retry,
  title,
}: {
  error: ApiError;
  retry?: () => void;
  title?: string;
}) {
  const fields = Object.entries(error.fields);
  return (
    <div className="banner error-banner" role="alert">
      <p>
        <strong>{title ?? (error.status === 403 ? 'Not allowed' : 'That did not work')}:</strong>{' '}
        {error.message}
        {error.status > 0 && (
          <span className="code">
            {' '}
            ({error.code}, HTTP {error.status})
          </span>
        )}
      </p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, reason]) => (
            <li key={field}>
              <code>{field}</code>: {reason}
            </li>
          ))}
        </ul>
      )}
      {retry && (
        <button type="button" className="secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Trying again helps when the network or the server failed, not when the answer was "no". */
const retryable = (error: ApiError) => error.status === 0 || error.status === 429 || error.status >= 500;

/** Renders a resource: a spinner while loading, the error (with a retry when one helps), or the content. */
export function Loaded<T>({
  resource,
  children,
}: {
  resource: Resource<T>;
  children: (data: T) => ReactNode;
}) {
  if (resource.state === 'loading') return <Loading />;
  if (resource.state === 'error') {
    const { error } = resource;
    return (
      <ErrorBanner
        error={error}
        retry={retryable(error) ? resource.reload : undefined}
        title={error.status === 404 ? 'Not found' : undefined}
      />
    );
  }
  return <>{children(resource.data)}</>;
}

type FieldProps = {
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
};

/** A labelled form field with an optional hint and error, wired up for screen readers. */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true } : {}),
      })}
      {error && (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="banner ok-banner" role="status">
      {children}
    </div>
  );
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return value.length <= 10
    ? value
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Runs an async action for a form: tracks busy state and the API error to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(asApiError(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}
