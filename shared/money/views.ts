// The operator's proof that the books balance (the caller's own statement is statement.ts).
import type { Sql } from '../db/request-db';
import { formatMoney, toKopecks } from './kopecks';

export interface BooksCheck {
  ok: boolean;
  receivedPayments: string;
  approvedPayouts: string;
  balances: string;
  balancesHeld: string;
  salaries: string;
  salariesHeld: string;
  commission: string;
  /** Every account bucket equals the sum of its ledger entries, and every movement sums to zero. */
  ledgerMatches: boolean;
  /** Held balances are exactly the rewards of open tasks (offers adopted, disputes settled), and commission that of done ones. */
  tasksMatch: boolean;
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
       (SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE bucket = 'commission') AS ledgerCommission,
       (SELECT COALESCE(SUM(reward), 0) FROM task WHERE status IN ('actual', 'in_work', 'review', 'frozen', 'disputed')) AS openRewards,
       (SELECT COALESCE(SUM(commission), 0) FROM task WHERE status = 'done') AS doneCommission`,
  );
  const k = (name: string) => toKopecks(String(totals?.[name] ?? '0'));
  const inside = k('balances') + k('balancesHeld') + k('salaries') + k('salariesHeld') + k('commission');
  const ledgerMatches =
    Number(totals?.accountMismatches) === 0 && Number(totals?.unbalancedMovements) === 0 && k('ledgerCommission') === k('commission');
  const tasksMatch = k('openRewards') === k('balancesHeld') && k('doneCommission') === k('commission');
  const names = ['receivedPayments', 'approvedPayouts', 'balances', 'balancesHeld', 'salaries', 'salariesHeld', 'commission'] as const;
  return {
    ok: k('receivedPayments') - k('approvedPayouts') === inside && ledgerMatches && tasksMatch,
    ...(Object.fromEntries(names.map((n) => [n, formatMoney(k(n))])) as Record<(typeof names)[number], string>),
    ledgerMatches,
    tasksMatch,
  };
}
