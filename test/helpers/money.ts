// Money for tests enters the way it does in production: a payment and Robokassa's signed callback.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { parseConfig } from '../../shared/config';
import { eventually } from './db';
import { call, stack } from './http';
import { admin, type Person } from './users';

export const apiConfig = parseConfig(stack.env);

export function robokassaSignature(parts: (string | number)[]): string {
  return createHash(apiConfig.ROBOKASSA_HASH).update(parts.join(':')).digest('hex');
}

/** Posts Robokassa's ResultURL callback for a payment, with OutSum as Robokassa formats it. */
export async function payCallback(invId: number, amount: string, extra: Record<string, string> = {}) {
  const outSum = Number(amount).toFixed(6);
  const form = new URLSearchParams({
    OutSum: outSum,
    InvId: String(invId),
    SignatureValue: robokassaSignature([outSum, invId, apiConfig.ROBOKASSA_PASSWORD2]),
    ...extra,
  });
  return call('POST', '/api/robokassa/result', {
    body: form.toString(),
    raw: true,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Tops up a customer's balance through a real payment and callback. */
export async function topUp(customer: Person, amount: string): Promise<void> {
  const payment = await customer.post('/api/payments', { amount });
  expect(payment.status, payment.text).toBe(201);
  const answer = await payCallback(payment.body.id, amount);
  expect(answer.text).toBe(`OK${payment.body.id}`);
}

/** The contract's invariant over the whole database, asked of the API as an admin would. */
export async function expectBooksBalanced(): Promise<void> {
  const check = await (await admin()).get('/api/admin/ledger/check');
  expect(check.status).toBe(200);
  expect(check.body, JSON.stringify(check.body)).toMatchObject({ ok: true, ledgerMatches: true });
}

/**
 * Expects the person's money to read as given. Another actor's change reaches this reader's
 * replica a moment later (replication is asynchronous), so the check is retried briefly.
 */
export async function expectMoney(person: Person, expected: Partial<Awaited<ReturnType<typeof moneyOf>>>): Promise<void> {
  await eventually(async () => expect(await moneyOf(person)).toMatchObject(expected), 3000, 50);
}

export async function moneyOf(person: Person): Promise<{ balance: string; balanceHeld: string; salary: string; salaryHeld: string }> {
  const me = await person.get('/api/me');
  expect(me.status).toBe(200);
  const { balance, balanceHeld, salary, salaryHeld } = me.body;
  return { balance, balanceHeld, salary, salaryHeld };
}
