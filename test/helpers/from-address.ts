// Requests from another loopback address (Linux routes all of 127.0.0.0/8 to lo): how a test
// plays a second client, now that the API believes only the socket's peer, not X-Forwarded-For.
import http from 'node:http';
import { text as textOf } from 'node:stream/consumers';
import type { Answer } from './http';

export function callFrom(
  localAddress: string,
  method: string,
  url: string,
  o: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        localAddress,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...o.headers },
      },
      (res) =>
        void textOf(res).then((text) => {
          const headers = new Headers(
            Object.entries(res.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
          );
          const parsed: unknown = (headers.get('content-type') ?? '').includes('application/json') && text ? JSON.parse(text) : text;
          resolve({ status: res.statusCode ?? 0, headers, body: parsed, text });
        }, reject),
    );
    req.on('error', reject);
    req.end(body);
  });
}
