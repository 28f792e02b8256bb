// The money a caller can see: their ledger; and the operator's proof that the books balance.
import { z } from 'zod';
import type { Session } from '../accounts/sessions';
import type { Sql } from '../db/request-db';
import { PageQuery, toPage, type Page } from '../http/pagination';
import { formatMoney, toKopecks } from './kopecks';

export const LedgerQuery = z.strictObject(PageQuery);

export interface LedgerItem {
  id: number; kind: string; bucket: string; amount: string; createdAt: string;
  taskId?: number; paymentId?: number; payoutId?: number;
}

/** A customer sees the balance pair, an executor the salary pair, an admin everything of their account. */
const BUCKETS_BY_ROLE = {
  customer: ['balance', 'balance_held'],
  executor: ['salary', 'salary_held'],
  admin: ['balance', 'balance_held', 'salary', 'salary_held'],
} as const;

export async function myLedger(db: Sql, session: Session, query: z.output<typeof LedgerQuery>): Promise<Page<LedgerItem>> {
  const rows = await db.rows<{ id: number; kind: string; bucket: string; amount: string; createdAt: Date; taskId: number | null; paymentId: number | null; payoutId: number | null }>(
    `SELECT e.id, m.kind, e.bucket, e.amount, m.created_at AS createdAt, m.task_id AS taskId, m.payment_id AS paymentId, m.payout_id AS payoutId
       FROM ledger_entry e JOIN ledger_movement m ON m.id = e.movement_id
      WHERE e.account_id = ? AND e.bucket IN (?) AND e.id < ?
      ORDER BY e.id DESC LIMIT ?`,
    [session.accountId, BUCKETS_BY_ROLE[session.role], query.cursor ? Number(query.cursor[0]) : Number.MAX_SAFE_INTEGER, query.limit + 1]);
  return toPage(rows, query.limit, (r) => [Number(r.id)], (r) => ({
    id: Number(r.id), kind: r.kind, bucket: r.bucket, amount: formatMoney(toKopecks(r.amount)), createdAt: r.createdAt.toISOString(),
    ...(r.taskId ? { taskId: r.taskId } : {}), ...(r.paymentId ? { paymentId: r.paymentId } : {}), ...(r.payoutId ? { payoutId: r.payoutId } : {}),
  }));
}

export interface BooksCheck {
  ok: boolean;
  receivedPayments: string; approvedPayouts: string;
  balances: string; balancesHeld: string; salaries: string; salariesHeld: string; commission: string;
  /** Every account bucket equals the sum of its ledger entries, and every movement sums to zero. */
  ledgerMatches: boolean;
}

/** The contract's invariant, computed from the tables in one consistent snapshot. */
export async function checkBooks(db: Sql): Promise<BooksCheck> {
  // One statement, so one read view: the totals cannot straddle a concurrent movement.
  const [totals] = await db.rows<Record<string, string>>(
    `SELECT
       (SELECT COALESCE(SUM(amount), 0) FROM payment WHERE status = 'received') AS receivedPayments,
       (SELECT COALESCE(SUM(amount), 0) FROM payout WHERE status = 'received') AS approvedPayouts,
       (SELECT COALESCE(SUM(balance), 0) FROM account) AS balances,
       (SELECT COALESCE(SUM(balance_held), 0) FROM account) AS balancesHeld,
       (SELECT COALESCE(SUM(salary), 0) FROM account) AS salaries,
       (SELECT COALESCE(SUM(salary_held), 0) FROM account) AS salariesHeld,
       (SELECT COALESCE(SUM(commission), 0) FROM platform_account) AS commission, -- all shards (migration 0005)
       (SELECT COUNT(*) FROM account a LEFT JOIN (
          SELECT account_id,
                 SUM(IF(bucket = 'balance', amount, 0)) AS balance, SUM(IF(bucket = 'balance_held', amount, 0)) AS balance_held,
                 SUM(IF(bucket = 'salary', amount, 0)) AS salary, SUM(IF(bucket = 'salary_held', amount, 0)) AS salary_held
            FROM ledger_entry WHERE account_id IS NOT NULL GROUP BY account_id) l ON l.account_id = a.id
         WHERE a.balance <> COALESCE(l.balance, 0) OR a.balance_held <> COALESCE(l.balance_held, 0)
            OR a.salary <> COALESCE(l.salary, 0) OR a.salary_held <> COALESCE(l.salary_held, 0)) AS accountMismatches,
       (SELECT COUNT(*) FROM (SELECT movement_id FROM ledger_entry GROUP BY movement_id HAVING SUM(amount) <> 0) unbalanced) AS unbalancedMovements,
       (SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE bucket = 'commission') AS ledgerCommission`);
  const k = (name: string) => toKopecks(String(totals?.[name] ?? '0'));
  const inside = k('balances') + k('balancesHeld') + k('salaries') + k('salariesHeld') + k('commission');
  const ledgerMatches = Number(totals?.accountMismatches) === 0 && Number(totals?.unbalancedMovements) === 0
    && k('ledgerCommission') === k('commission');
  const names = ['receivedPayments', 'approvedPayouts', 'balances', 'balancesHeld', 'salaries', 'salariesHeld', 'commission'] as const;
  return {
    ok: k('receivedPayments') - k('approvedPayouts') === inside && ledgerMatches,
    ...Object.fromEntries(names.map((n) => [n, formatMoney(k(n))])) as Record<(typeof names)[number], string>,
    ledgerMatches,
  };
}
