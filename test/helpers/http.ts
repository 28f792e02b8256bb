// A small HTTP client for the tests: real requests to the stack's API, answers parsed as the contract says.
import { inject } from 'vitest';

export const stack = inject('stack');

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as it is (a string), not as JSON. */
  raw?: boolean;
  base?: string;
}

export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = opts.raw ? (opts.body as string) : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${opts.base ?? stack.urls.api}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('application/json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** Expects the contract's error body with this status and code. */
export function errorOf(answer: Answer): { status: number; code: string } {
  return { status: answer.status, code: answer.body?.error?.code };
}
