// Every movement of money: legs that sum to zero, each applied to its balance with a
// conditional update (no bucket can go below zero) and recorded in the ledger, all inside
// the caller's transaction.
import type { Tx } from '../db/request-db';
import { insufficientFunds } from '../http/errors';
import { formatMoney, type Kopecks } from './kopecks';

export type Bucket = 'balance' | 'balance_held' | 'salary' | 'salary_held' | 'commission' | 'external';

export const MOVEMENT_KINDS = [
  'topup', 'task_hold', 'task_refund', 'task_payment', 'payout_hold', 'payout_paid', 'payout_refund', 'dispute_settlement',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface Leg { accountId: number | null; bucket: Bucket; amount: number }

export interface Movement {
  kind: MovementKind;
  legs: Leg[];
  taskId?: number;
  paymentId?: number;
  payoutId?: number;
}

/** The account columns a leg may touch; the names never come from input. */
const ACCOUNT_COLUMN: Partial<Record<Bucket, string>> = {
  balance: 'balance', balance_held: 'balance_held', salary: 'salary', salary_held: 'salary_held',
};

const BUCKET_WORDS: Record<Bucket, string> = {
  balance: 'balance', balance_held: 'held balance', salary: 'salary', salary_held: 'held salary',
  commission: 'commission', external: 'external',
};

export async function moveMoney(tx: Tx, movement: Movement): Promise<number> {
  const total = movement.legs.reduce((sum, leg) => sum + leg.amount, 0);
  if (total !== 0) throw new Error(`unbalanced movement ${movement.kind}: legs sum to ${total}`);
  // Debits first, so that a shortfall is found before anything is credited.
  const legs = [...movement.legs].sort((a, b) => a.amount - b.amount);
  for (const leg of legs) await applyLeg(tx, leg);
  const res = await tx.exec('INSERT INTO ledger_movement (kind, task_id, payment_id, payout_id) VALUES (?, ?, ?, ?)',
    [movement.kind, movement.taskId ?? null, movement.paymentId ?? null, movement.payoutId ?? null]);
  await tx.exec('INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?',
    [movement.legs.map((leg) => [res.insertId, leg.accountId, leg.bucket, formatMoney(leg.amount)])]);
  return res.insertId;
}

async function applyLeg(tx: Tx, leg: Leg): Promise<void> {
  const amount = formatMoney(leg.amount);
  if (leg.bucket === 'external') return;
  if (leg.bucket === 'commission') {
    const res = await tx.exec('UPDATE platform_account SET commission = commission + ? WHERE id = 1 AND commission + ? >= 0', [amount, amount]);
    if (res.affectedRows !== 1) throw insufficientFunds('The platform commission would go negative');
    return;
  }
  const column = ACCOUNT_COLUMN[leg.bucket];
  if (!column || leg.accountId === null) throw new Error(`leg on ${leg.bucket} needs an account`);
  const res = await tx.exec(`UPDATE account SET ${column} = ${column} + ? WHERE id = ? AND ${column} + ? >= 0`,
    [amount, leg.accountId, amount]);
  if (res.affectedRows !== 1) throw insufficientFunds(`Not enough money on the ${BUCKET_WORDS[leg.bucket]}`);
}

/**
 * Takes the account's row lock first. A transaction that inserts a row referencing the account
 * (a task, a payout) takes a shared lock through the foreign key; two of them then both wanting
 * the exclusive lock for the balance would deadlock. Locking first makes them queue instead.
 */
export async function lockAccount(tx: Tx, accountId: number): Promise<void> {
  await tx.rows('SELECT id FROM account WHERE id = ? FOR UPDATE', [accountId]);
}

/** Shorthand for the common two-leg movement from one bucket to another. */
export function transfer(amount: Kopecks, from: Omit<Leg, 'amount'>, to: Omit<Leg, 'amount'>): Leg[] {
  return [{ ...from, amount: -amount }, { ...to, amount }];
}
