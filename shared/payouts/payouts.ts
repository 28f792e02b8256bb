// Withdrawing salary: a request holds the amount (salary → salaryHeld); an admin approves it
// (the money leaves the system) or rejects it (salaryHeld → salary). Decided exactly once.
import { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { accountNames } from '../cache/names';
import { config } from '../config';
import type { RequestDb, Tx } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { invalidState, notFound, validationFailed } from '../errors';
import { idAfter, idBefore, PageQuery, toPage, type Page } from '../pagination';
import { text } from '../schemas';
import { formatMoney, MoneyInput, toKopecks } from '../money/kopecks';
import { applyLegs, moveMoney, recordMovement, transfer } from '../money/ledger';

/** The Luhn checksum every card number carries. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Methods a new payout may use; `qiwi` stays readable on old payouts (QIWI Bank lost its licence in 2024). */
const NEW_METHODS = ['sbp', 'card'] as const;
type PayoutMethod = (typeof NEW_METHODS)[number] | 'qiwi';

export const CreatePayoutBody = z
  .strictObject({
    amount: MoneyInput,
    method: z.enum(NEW_METHODS, {
      error: (issue) => (issue.input === 'qiwi' ? 'QIWI payouts are no longer possible; use sbp or card' : 'must be sbp or card'),
    }),
    destination: z.string().trim().max(40),
    /** The recipient's bank for an SBP transfer. */
    bank: z.string().trim().min(1).max(60).nullish(),
  })
  .superRefine((body, ctx) => {
    const ok =
      body.method === 'sbp' ? /^\+7\d{10}$/.test(body.destination) : /^\d{13,19}$/.test(body.destination) && luhnValid(body.destination);
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['destination'],
        message: body.method === 'sbp' ? 'must be a phone number: +7 and 10 digits' : 'must be a valid card number of 13..19 digits',
      });
    }
    // Only when absent: a bank that is there but malformed has its own issue already.
    if (body.method === 'sbp' && body.bank == null)
      ctx.addIssue({ code: 'custom', path: ['bank'], message: 'is required for sbp: the bank of 1..60 characters' });
    if (body.method !== 'sbp' && body.bank) ctx.addIssue({ code: 'custom', path: ['bank'], message: 'is only for sbp' });
  });

const STATUSES = ['created', 'received', 'rejected'] as const;
type PayoutStatus = (typeof STATUSES)[number];
export const PayoutsQuery = z.strictObject(PageQuery);
export const AdminPayoutsQuery = z.strictObject({ ...PageQuery, status: z.enum(STATUSES).default('created') });
export const DecisionBody = z.strictObject({ comment: text(0, 500, true).optional() }).default({});
export const RejectBody = z.strictObject({ comment: text(1, 500, true) });

interface PayoutRow {
  id: number;
  accountId: number;
  amount: string;
  method: PayoutMethod;
  destination: string;
  bank: string | null;
  status: PayoutStatus;
  comment: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

/** A payout as the contract shows it: the row without its account, times as ISO strings. */
export type PayoutView = Omit<PayoutRow, 'accountId' | 'createdAt' | 'decidedAt'> & { createdAt: string; decidedAt: string | null };

const PAYOUT_COLUMNS = `id, account_id AS accountId, amount, method, destination, bank, status, comment,
  created_at AS createdAt, decided_at AS decidedAt`;

function view(row: PayoutRow): PayoutView {
  return {
    id: row.id,
    amount: formatMoney(toKopecks(row.amount)),
    method: row.method,
    destination: row.destination,
    bank: row.bank,
    status: row.status,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

async function loadPayout(tx: Tx, payoutId: number, lock = false): Promise<PayoutRow> {
  const [row] = await tx.rows<PayoutRow>(`SELECT ${PAYOUT_COLUMNS} FROM payout WHERE id = ?${lock ? ' FOR UPDATE' : ''}`, [payoutId]);
  if (!row) throw notFound('Payout');
  return row;
}

export async function requestPayout(
  db: RequestDb,
  executor: Session,
  body: z.output<typeof CreatePayoutBody>,
  ip: string,
): Promise<PayoutView> {
  if (body.amount < toKopecks(config.PAYOUT_MIN_AMOUNT)) {
    throw validationFailed([{ path: 'amount', message: `must be at least ${config.PAYOUT_MIN_AMOUNT}` }]);
  }
  return db.transaction(async (tx) => {
    // The hold first: it locks the account before the insert's foreign key takes a shared lock on it.
    const legs = transfer(
      body.amount,
      { accountId: executor.accountId, bucket: 'salary' },
      { accountId: executor.accountId, bucket: 'salary_held' },
    );
    await applyLegs(tx, legs);
    const res = await tx.exec('INSERT INTO payout (account_id, amount, method, destination, bank, ip) VALUES (?, ?, ?, ?, ?, ?)', [
      executor.accountId,
      formatMoney(body.amount),
      body.method,
      body.destination,
      body.bank ?? null,
      ip.slice(0, 45),
    ]);
    await recordMovement(tx, { kind: 'payout_hold', payoutId: res.insertId, legs });
    return view(await loadPayout(tx, res.insertId));
  });
}

export async function listPayouts(db: RequestDb, executor: Session, query: z.output<typeof PayoutsQuery>): Promise<Page<PayoutView>> {
  const rows = await db.rows<PayoutRow>(`SELECT ${PAYOUT_COLUMNS} FROM payout WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, [
    executor.accountId,
    idBefore(query.cursor),
    query.limit + 1,
  ]);
  return toPage(rows, query.limit, (r) => [r.id], view);
}

/** The admin's review queue: oldest first, with who asked. */
export async function payoutsToReview(
  db: RequestDb,
  query: z.output<typeof AdminPayoutsQuery>,
): Promise<Page<PayoutView & { executor: { id: number; name: string } }>> {
  const rows = await db.strongRows<PayoutRow>(`SELECT ${PAYOUT_COLUMNS} FROM payout WHERE status = ? AND id > ? ORDER BY id ASC LIMIT ?`, [
    query.status,
    idAfter(query.cursor),
    query.limit + 1,
  ]);
  const names = await accountNames(
    db,
    rows.map((r) => r.accountId),
  );
  return toPage(
    rows,
    query.limit,
    (r) => [r.id],
    (r) => ({ ...view(r), executor: { id: r.accountId, name: names.get(r.accountId) ?? '' } }),
  );
}

export async function decidePayout(
  db: RequestDb,
  payoutId: number,
  admin: Session,
  decision: 'approve' | 'reject',
  comment: string | undefined,
): Promise<PayoutView> {
  return db.transaction(async (tx) => {
    const payout = await loadPayout(tx, payoutId, true);
    if (payout.status !== 'created') throw invalidState(`The payout is already ${payout.status === 'received' ? 'approved' : 'rejected'}`);
    const amount = toKopecks(payout.amount);
    const held = { accountId: payout.accountId, bucket: 'salary_held' } as const;
    await tx.exec('UPDATE payout SET status = ?, comment = ?, decided_at = NOW(3), decided_by = ? WHERE id = ?', [
      decision === 'approve' ? 'received' : 'rejected',
      comment || null,
      admin.accountId,
      payoutId,
    ]);
    await moveMoney(
      tx,
      decision === 'approve'
        ? { kind: 'payout_paid', payoutId, legs: transfer(amount, held, { accountId: null, bucket: 'external' }) }
        : { kind: 'payout_refund', payoutId, legs: transfer(amount, held, { accountId: payout.accountId, bucket: 'salary' }) },
    );
    await enqueue(tx, { type: decision === 'approve' ? 'payout_approved' : 'payout_rejected', payoutId, accountId: payout.accountId });
    return view(await loadPayout(tx, payoutId));
  });
}
