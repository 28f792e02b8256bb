// Every movement of money: legs that sum to zero, each applied to its balance with a
// conditional update (no bucket can go below zero or past its column's limit) and recorded in the ledger, all inside
// the caller's transaction.
import { randomInt } from 'node:crypto';
import type { Tx } from '../db/request-db';
import { amountTooLarge, insufficientFunds } from '../errors';
import { formatMoney, MAX_BUCKET_KOPECKS, negate, toKopecks, type Kopecks } from './kopecks';

export type Bucket = 'balance' | 'balance_held' | 'salary' | 'salary_held' | 'commission' | 'external';

export const MOVEMENT_KINDS = [
  'topup',
  'task_hold',
  'task_refund',
  'task_payment',
  'payout_hold',
  'payout_paid',
  'payout_refund',
  'dispute_settlement',
] as const;
type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface Leg {
  accountId: number | null;
  bucket: Bucket;
  amount: number;
}

export interface Movement {
  kind: MovementKind;
  legs: Leg[];
  taskId?: number;
  paymentId?: number;
  payoutId?: number;
}

/** The account columns a leg may touch; the names never come from input. */
const ACCOUNT_COLUMN: Partial<Record<Bucket, string>> = {
  balance: 'balance',
  balance_held: 'balance_held',
  salary: 'salary',
  salary_held: 'salary_held',
};

/** Rows of platform_account (migration 0005); the books check sums them. */
const COMMISSION_SHARDS = 16;
const MAX_BUCKET = formatMoney(MAX_BUCKET_KOPECKS);
/** platform_account.commission is DECIMAL(14,2). */
const MAX_COMMISSION_SHARD = '999999999999.99';

const BUCKET_WORDS: Record<Bucket, string> = {
  balance: 'balance',
  balance_held: 'held balance',
  salary: 'salary',
  salary_held: 'held salary',
  commission: 'commission',
  external: 'external',
};

/**
 * Applies the legs to the balances and records the movement. Lock order (every money
 * transaction follows it, so two of them can never wait on each other in a cycle): the task or
 * payout row first (the caller's), then account rows in ascending id, then a commission shard,
 * then the rows this transaction inserts.
 */
export async function moveMoney(tx: Tx, movement: Movement): Promise<number> {
  await applyLegs(tx, movement.legs);
  return recordMovement(tx, movement);
}

/**
 * The balance half of a movement: one conditional UPDATE per account, in ascending account id,
 * which is also what locks the account. A caller that must insert a row referencing the account
 * (a task) applies the legs first, records the movement after: the insert takes a shared lock
 * through the foreign key, and two transactions holding it and both wanting the exclusive lock
 * for the balance would deadlock.
 */
export async function applyLegs(tx: Tx, legs: Leg[]): Promise<void> {
  assertBalanced(legs);
  const byAccount = new Map<number, Map<string, number>>();
  let commission = 0;
  for (const leg of legs) {
    if (leg.bucket === 'external') continue;
    if (leg.bucket === 'commission') {
      commission += leg.amount;
      continue;
    }
    const column = ACCOUNT_COLUMN[leg.bucket];
    if (!column || leg.accountId === null) throw new Error(`leg on ${leg.bucket} needs an account`);
    const columns = byAccount.get(leg.accountId) ?? new Map<string, number>();
    columns.set(column, (columns.get(column) ?? 0) + leg.amount);
    byAccount.set(leg.accountId, columns);
  }
  for (const accountId of [...byAccount.keys()].sort((a, b) => a - b)) {
    await applyToAccount(tx, accountId, byAccount.get(accountId)!);
  }
  if (commission !== 0) await applyToCommission(tx, commission);
}

/** The ledger half: the movement and all its entries, two statements whatever the number of legs. */
export async function recordMovement(tx: Tx, movement: Movement): Promise<number> {
  assertBalanced(movement.legs);
  const res = await tx.exec('INSERT INTO ledger_movement (kind, task_id, payment_id, payout_id) VALUES (?, ?, ?, ?)', [
    movement.kind,
    movement.taskId ?? null,
    movement.paymentId ?? null,
    movement.payoutId ?? null,
  ]);
  await tx.exec('INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?', [
    movement.legs.map((leg) => [res.insertId, leg.accountId, leg.bucket, formatMoney(leg.amount)]),
  ]);
  return res.insertId;
}

function assertBalanced(legs: Leg[]): void {
  const total = legs.reduce((sum, leg) => sum + leg.amount, 0);
  if (total !== 0) throw new Error(`unbalanced movement: legs sum to ${total}`);
}

/**
 * Every bucket of the account changes in one statement that matches only when no debited bucket
 * goes below zero and no credited one past its column's limit (a DECIMAL(12,2) overflow would be
 * a database error, so it is refused here, before anything is written).
 */
async function applyToAccount(tx: Tx, accountId: number, columns: Map<string, number>): Promise<void> {
  const changes = [...columns].filter(([, amount]) => amount !== 0);
  if (changes.length === 0) return;
  const set = changes.map(([column]) => `${column} = ${column} + ?`).join(', ');
  const guards = changes.map(([column, amount]) => (amount < 0 ? `${column} + ? >= 0` : `${column} + ? <= ?`)).join(' AND ');
  const guardParams = changes.flatMap(([, amount]) => (amount < 0 ? [formatMoney(amount)] : [formatMoney(amount), MAX_BUCKET]));
  const res = await tx.exec(`UPDATE account SET ${set} WHERE id = ? AND ${guards}`, [
    ...changes.map(([, amount]) => formatMoney(amount)),
    accountId,
    ...guardParams,
  ]);
  if (res.affectedRows === 1) return;
  throw await whyRefused(tx, accountId, changes);
}

/**
 * Reads the account to say which bucket refused. A locking read: a plain one would see the
 * transaction's snapshot, older than the concurrent commit that drained the balance, and find no
 * shortfall (the failed update has locked the row already, so this waits for nothing).
 */
async function whyRefused(tx: Tx, accountId: number, changes: [string, number][]): Promise<Error> {
  const [row] = await tx.rows<Record<string, string>>(
    `SELECT ${changes.map(([column]) => column).join(', ')} FROM account WHERE id = ? FOR UPDATE`,
    [accountId],
  );
  if (!row) return new Error(`no account ${accountId}`);
  const short = changes.find(([column, amount]) => amount < 0 && toKopecks(String(row[column])) + amount < 0);
  if (short) return insufficientFunds(`Not enough money on the ${BUCKET_WORDS[short[0] as Bucket]}`);
  const full =
    changes.find(([column, amount]) => amount > 0 && toKopecks(String(row[column])) + amount > MAX_BUCKET_KOPECKS) ?? changes[0]!;
  return amountTooLarge(`The ${BUCKET_WORDS[full[0] as Bucket]} would exceed ${MAX_BUCKET}, the most an account holds`);
}

/** The commission is spread over COMMISSION_SHARDS rows so that concurrent payments do not queue on one lock. */
async function applyToCommission(tx: Tx, amount: number): Promise<void> {
  const shard = 1 + randomInt(COMMISSION_SHARDS);
  const res = await tx.exec('UPDATE platform_account SET commission = commission + ? WHERE id = ? AND commission + ? BETWEEN 0 AND ?', [
    formatMoney(amount),
    shard,
    formatMoney(amount),
    MAX_COMMISSION_SHARD,
  ]);
  if (res.affectedRows !== 1) throw insufficientFunds('The platform commission would go negative');
}

/**
 * Takes the account's row lock first, for a transaction that inserts a row referencing the
 * account (a task, a payout) before it moves its money: the insert takes a shared lock through
 * the foreign key, and two of them then both wanting the exclusive lock would deadlock.
 * Applying the legs first (`applyLegs`) locks it too, one statement fewer.
 */
export async function lockAccount(tx: Tx, accountId: number): Promise<void> {
  await tx.rows('SELECT id FROM account WHERE id = ? FOR UPDATE', [accountId]);
}

/** Shorthand for the common two-leg movement from one bucket to another. */
export function transfer(amount: Kopecks, from: Omit<Leg, 'amount'>, to: Omit<Leg, 'amount'>): Leg[] {
  return [
    { ...from, amount: negate(amount) },
    { ...to, amount },
  ];
}
