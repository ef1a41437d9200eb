/**
 * The one way the UI talks to the API: same-origin fetch with the session cookie, the CSRF token
 * on every state-changing request, the user's language, and the API's one error shape turned
 * into an ApiError the screens can read (message, field issues, status).
 */

export interface ApiFieldIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly label?: string;
  readonly [key: string]: unknown;
}

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly fields?: readonly ApiFieldIssue[]; readonly [key: string]: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly ApiFieldIssue[] = [],
    readonly body: unknown = undefined,
    readonly headers: Headers | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CSRF_COOKIE = 'crm_csrf';

function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Whether a session may exist (the readable CSRF cookie comes with the session cookie): the boot
 * then asks for the signed-in data at once instead of after /api/auth/me. Only a hint; the API decides.
 */
export function mayBeSignedIn(): boolean {
  return csrfToken() !== undefined;
}

let currentLocale = 'en';
/** Set by i18n when the language changes: the API answers messages in it. */
export function setApiLocale(locale: string): void {
  currentLocale = locale;
}

/** Listeners told when the API says the session is gone (401), so the shell can ask to sign in again without losing the page. */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export interface RequestOptions {
  readonly body?: unknown;
  /** A body sent as it is (a CSV file to import) with its content type, instead of JSON. */
  readonly file?: { readonly type: string; readonly text: string };
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Resolve with the Response itself (ETag, status) instead of its JSON. */
  readonly raw?: boolean;
}

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

type EarlyResponses = Record<string, Promise<Response> | undefined>;
const earlyResponses = () => (globalThis as { crmEarlyFetch?: EarlyResponses }).crmEarlyFetch;

/**
 * A response public/early-fetch.js started for this GET before the modules loaded (taken once:
 * later requests fetch afresh). Its headers are the ones this client would send (the language).
 */
function earlyResponse(method: string, path: string): Promise<Response> | undefined {
  const early = earlyResponses();
  const response = method === 'GET' ? early?.[path] : undefined;
  if (response) early![path] = undefined;
  return response;
}

/**
 * Drops the early responses nobody took (the boot calls it once the first screen has asked for
 * what it needs): a guessed request the app did not make must not answer a later one, after a
 * sign-out or another user's sign-in.
 */
export function discardEarlyResponses(): void {
  const early = earlyResponses();
  if (early) for (const path of Object.keys(early)) early[path] = undefined;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': currentLocale, ...options.headers };
  if (options.file) headers['Content-Type'] = options.file.type;
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  const send = () =>
    fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ? options.file.text : options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  // An early call that failed to reach the server is sent again.
  const early = earlyResponse(method, path);
  const response = await (early ? early.catch(send) : send());
  if (!response.ok && response.status !== 304) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const error = (body as ApiErrorBody | undefined)?.error;
    if (response.status === 401) for (const listener of unauthenticatedListeners) listener();
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? response.statusText, error?.fields ?? [], body, response.headers);
  }
  if (options.raw) return response as T;
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** A query string from defined values (JSON values encoded as JSON). */
export function query(params: Record<string, string | number | boolean | object | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    search.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
