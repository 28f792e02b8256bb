// One fetch wrapper for the whole site: relative /api URLs, the bearer token, the contract's
// error body turned into ApiError, and a 401 handed to whoever set `onUnauthenticated`.
import { t } from '../i18n';
import { clearSession, getSession } from '../session';
import type { ValidationDetail } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ValidationDetail[] = [],
    readonly requestId: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never got an answer (offline, DNS, connection reset); safe to retry as is. */
export class NetworkError extends Error {
  constructor() {
    super(t.errors.network);
    this.name = 'NetworkError';
  }
}

export type Query = Record<string, string | number | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Another token than the stored session's (ending a replaced session after a new log in). */
  token?: string;
}

let unauthenticatedHandler: () => void = () => undefined;
let blockedHandler: () => void = () => undefined;

/** Called once by the app: what to do when the server says the token is no good. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

/** Called once by the app: an action was refused because the account is blocked (show the banner). */
export function onBlocked(handler: () => void): void {
  blockedHandler = handler;
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function parseRetryAfter(response: Response): number | null {
  const value = Number(response.headers.get('Retry-After'));
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}

async function toApiError(response: Response): Promise<ApiError> {
  const requestId = response.headers.get('X-Request-Id');
  const retryAfter = parseRetryAfter(response);
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not the contract's JSON (a proxy's HTML page, for instance)
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = Array.isArray(error.details)
      ? (error.details as unknown[])
          .filter((d): d is ValidationDetail => typeof d === 'object' && d !== null && typeof (d as ValidationDetail).message === 'string')
          .map((d) => ({ path: String(d.path ?? ''), message: d.message }))
      : [];
    return new ApiError(response.status, error.code, error.message, details, requestId, retryAfter);
  }
  return new ApiError(response.status, 'unexpected', t.errors.unexpected(response.status), [], requestId, retryAfter);
}

/** Sends the request and answers the response when it is a 2xx; any other answer is thrown as ApiError. */
async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  const session = options.token ? null : getSession();
  const token = options.token ?? session?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  // Writes always carry a JSON body (`{}` for bodiless actions) so every POST/PUT looks the same.
  const payload = options.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
  let body: string | undefined;
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(payload);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError();
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.code === 'unauthenticated' && session) {
      clearSession();
      unauthenticatedHandler();
    }
    if (error.code === 'account_blocked') blockedHandler();
    throw error;
  }
  return response;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'unexpected', t.errors.unexpected(response.status));
  }
}

export interface Download {
  blob: Blob;
  /** The name the server gave in Content-Disposition, or null when it gave none. */
  filename: string | null;
}

/** `attachment; filename="x.csv"` (or RFC 6266's `filename*=UTF-8''…`) → the name. */
function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // a broken encoding: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  const name = (plain?.[1] ?? plain?.[2] ?? '').trim();
  return name || null;
}

/** A file the API answers (a GET that needs the bearer token, so no plain link can fetch it). */
export async function download(path: string, query: Query, signal?: AbortSignal): Promise<Download> {
  const response = await send('GET', path, { query, signal }, '*/*');
  return { blob: await response.blob(), filename: filenameFrom(response.headers.get('Content-Disposition')) };
}

/** A fresh Idempotency-Key (RFC 4122 v4); works outside secure contexts too. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The text to show for any failure: the contract's message, plus when to retry if the server said. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    // The refusal's message is the block's reason alone: say what it is the reason of.
    const parts = [err.code === 'account_blocked' ? t.trust.blockedRefusal(err.message) : err.message];
    if (err.retryAfterSeconds) parts.push(t.errors.retryAfter(err.retryAfterSeconds));
    if (err.status >= 500 && err.requestId) parts.push(t.errors.requestId(err.requestId));
    return parts.join(' ');
  }
  if (err instanceof NetworkError) return err.message;
  console.error(err);
  return t.errors.generic;
}
