// The bench's set-up calls, shared by the load scenarios and the pipeline bench.
import { parseConfig } from '../shared/config';
import { robokassaHash } from '../shared/payments/robokassa';

export async function json(base: string, method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Tops a customer up by 999 999.00 the real way: a payment, then Robokassa's signed callback. */
export async function topUpByCallback(api: string, env: Record<string, string>, token: string): Promise<void> {
  const cfg = parseConfig(env);
  const payment = await json(api, 'POST', '/api/payments', { amount: '999999.00' }, token);
  const outSum = '999999.000000';
  const form = new URLSearchParams({
    OutSum: outSum,
    InvId: String(payment.id),
    SignatureValue: robokassaHash(cfg.ROBOKASSA_HASH, `${outSum}:${payment.id}:${cfg.ROBOKASSA_PASSWORD2}`),
  });
  await fetch(`${api}/api/robokassa/result`, {
    method: 'POST',
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
