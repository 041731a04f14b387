// The console's only way to the server: same-origin calls to the documented HTTP API, with the session
// cookie and the CSRF token header on every state-changing request.

/** The stable error shape of the API: `{ error, message, fields? }`, plus whatever detail a route adds. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown>) {
    const message = typeof body.message === 'string' ? body.message : `The server answered ${status}.`;
    super(message);
    this.status = status;
    this.code = typeof body.error === 'string' ? body.error : `HTTP_${status}`;
    this.fields =
      body.fields && typeof body.fields === 'object' ? (body.fields as Record<string, string>) : {};
    this.body = body;
  }
}

export const API = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let onSessionLost: () => void = () => {};

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when the server says the session is gone (401 outside sign-in), so the console can ask again. */
export function whenSessionLost(handler: () => void) {
  onSessionLost = handler;
}

function headersFor(method: string, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  return headers;
}

async function parseBody(text: string): Promise<Record<string, unknown>> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { message: text.slice(0, 300) };
  }
}

function failed(status: number, body: Record<string, unknown>, path: string): ApiError {
  const error = new ApiError(status, body);
  if (status === 401 && !path.startsWith(`${API}/auth/`)) onSessionLost();
  return error;
}

/** One JSON call. Resolves with the parsed answer; rejects with an ApiError carrying the server's message. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: headersFor(method, body === undefined ? undefined : 'application/json'),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, {
      error: 'NETWORK',
      message: 'The server could not be reached. Check your connection.',
    });
  }
  const parsed = await parseBody(await response.text());
  if (!response.ok) throw failed(response.status, parsed, path);
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** A raw download (CSV/JSON export) as text, with the same error handling as `api`. */
export async function fetchText(path: string): Promise<string> {
  const response = await fetch(path, { credentials: 'same-origin', headers: headersFor('GET') });
  const text = await response.text();
  if (!response.ok) throw failed(response.status, await parseBody(text), path);
  return text;
}

export type UploadProgress = { loaded: number; total: number };

/**
 * Sends a file as the raw request body with XMLHttpRequest, whose upload events report progress
 * (fetch cannot). Resolves with the parsed JSON answer.
 */
export function upload<T>(
  method: string,
  path: string,
  file: Blob | FormData,
  contentType: string | null,
  onProgress: (progress: UploadProgress) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(headersFor(method, contentType ?? undefined))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    });
    xhr.addEventListener('load', async () => {
      const parsed = await parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else reject(failed(xhr.status, parsed, path));
    });
    xhr.addEventListener('error', () =>
      reject(
        new ApiError(0, {
          error: 'NETWORK',
          message: 'The upload was interrupted: the server could not be reached.',
        }),
      ),
    );
    xhr.addEventListener('abort', () =>
      reject(new ApiError(0, { error: 'ABORTED', message: 'The upload was cancelled.' })),
    );
    xhr.send(file);
  });
}

/** Builds a query string from the defined values only. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
