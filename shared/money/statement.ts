// The caller's money history read like a bank statement: one line per movement, with what it did
// to each of the caller's buckets ("Удержание под задание №34: доступно −317,50 ₽, удержано
// +317,50 ₽"), as JSON pages (GET /api/me/ledger) and as CSV for a period (GET /api/me/ledger.csv).
import { z } from 'zod';
import type { Role } from '../accounts/roles';
import type { Session } from '../accounts/sessions';
import type { Sql } from '../db/request-db';
import { validationFailed } from '../errors';
import { PageQuery, toPage, type Page } from '../pagination';
import { formatMoney, toKopecks } from './kopecks';
import { MOVEMENT_KINDS, type Bucket } from './ledger';

export const LedgerQuery = z.strictObject({ ...PageQuery, kind: z.enum(MOVEMENT_KINDS).optional() });

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a date');
/** The longest period one CSV covers, and the most lines it may hold. */
const MAX_DAYS = 366;
const MAX_CSV_LINES = 20_000;

export const StatementQuery = z
  .strictObject({ from: Day, to: Day, kind: z.enum(MOVEMENT_KINDS).optional() })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_DAYS, {
    path: ['to'],
    message: `the period is at most ${MAX_DAYS} days`,
  });

type AccountBucket = Extract<Bucket, 'balance' | 'balance_held' | 'salary' | 'salary_held'>;

/** A customer sees the balance pair, an executor the salary pair, an admin everything of their account. */
const BUCKETS_BY_ROLE: Record<Role, readonly AccountBucket[]> = {
  customer: ['balance', 'balance_held'],
  executor: ['salary', 'salary_held'],
  admin: ['balance', 'balance_held', 'salary', 'salary_held'],
};

/** The buckets' names in answers (those of GET /api/me) and in the CSV's header. */
const EFFECT_NAMES: Record<AccountBucket, { json: string; csv: string }> = {
  balance: { json: 'balance', csv: 'Баланс, ₽' },
  balance_held: { json: 'balanceHeld', csv: 'Удержано с баланса, ₽' },
  salary: { json: 'salary', csv: 'Заработок, ₽' },
  salary_held: { json: 'salaryHeld', csv: 'Удержано с заработка, ₽' },
};

export interface StatementLine {
  id: number;
  kind: string;
  /** The change of the first of the caller's buckets it touched (available before held), signed. */
  amount: string;
  bucket: AccountBucket;
  createdAt: string;
  taskId?: number;
  paymentId?: number;
  payoutId?: number;
  /** In Russian, as the statement names the movement. */
  description: string;
  /** Every bucket of the caller's role, signed ("0.00" when untouched). */
  effects: Record<string, string>;
}

interface MovementRow {
  id: number;
  kind: string;
  createdAt: Date;
  taskId: number | null;
  paymentId: number | null;
  payoutId: number | null;
  balance: string;
  balance_held: string;
  salary: string;
  salary_held: string;
}

/** What each kind is called on a statement; a kind added later and not named here reads as its code. */
function describe(row: MovementRow, role: Role): string {
  const task = `задание №${row.taskId}`;
  switch (row.kind) {
    case 'topup':
      return `Пополнение баланса, платёж №${row.paymentId}`;
    case 'task_hold':
      return `Удержание под ${task}`;
    case 'task_refund':
      return `Возврат удержания по заданию №${row.taskId}`;
    case 'task_payment':
      return role === 'executor' ? `Вознаграждение за ${task}` : `Оплата за ${task}`;
    case 'payout_hold':
      return `Заявка на выплату №${row.payoutId}`;
    case 'payout_paid':
      return `Выплата №${row.payoutId} отправлена`;
    case 'payout_refund':
      return `Выплата №${row.payoutId} отклонена, деньги возвращены`;
    default:
      return `Операция ${row.kind}${row.taskId ? ` по заданию №${row.taskId}` : ''}`;
  }
}

function line(row: MovementRow, role: Role): StatementLine {
  const buckets = BUCKETS_BY_ROLE[role];
  const main = buckets.find((b) => toKopecks(row[b]) !== 0) ?? buckets[0]!;
  return {
    id: Number(row.id),
    kind: row.kind,
    amount: formatMoney(toKopecks(row[main])),
    bucket: main,
    createdAt: row.createdAt.toISOString(),
    ...(row.taskId ? { taskId: row.taskId } : {}),
    ...(row.paymentId ? { paymentId: row.paymentId } : {}),
    ...(row.payoutId ? { payoutId: row.payoutId } : {}),
    description: describe(row, role),
    effects: Object.fromEntries(buckets.map((b) => [EFFECT_NAMES[b].json, formatMoney(toKopecks(row[b]))])),
  };
}

interface Filter {
  kind?: string;
  beforeId?: number;
  from?: string;
  toExclusive?: string;
  limit: number;
}

/** The caller's movements on its role's buckets, newest first, each with its effect on every bucket. */
async function movements(db: Sql, session: Session, f: Filter): Promise<MovementRow[]> {
  const where: string[] = ['e.account_id = ?', 'e.bucket IN (?)'];
  const params: unknown[] = [session.accountId, BUCKETS_BY_ROLE[session.role]];
  if (f.beforeId !== undefined) {
    where.push('e.movement_id < ?');
    params.push(f.beforeId);
  }
  if (f.kind) {
    where.push('m.kind = ?');
    params.push(f.kind);
  }
  if (f.from) {
    where.push('m.created_at >= ?');
    params.push(f.from);
  }
  if (f.toExclusive) {
    where.push('m.created_at < ?');
    params.push(f.toExclusive);
  }
  return db.rows<MovementRow>(
    `SELECT m.id, m.kind, m.created_at AS createdAt, m.task_id AS taskId, m.payment_id AS paymentId, m.payout_id AS payoutId,
            SUM(IF(e.bucket = 'balance', e.amount, 0)) AS balance, SUM(IF(e.bucket = 'balance_held', e.amount, 0)) AS balance_held,
            SUM(IF(e.bucket = 'salary', e.amount, 0)) AS salary, SUM(IF(e.bucket = 'salary_held', e.amount, 0)) AS salary_held
       FROM ledger_entry e JOIN ledger_movement m ON m.id = e.movement_id
      WHERE ${where.join(' AND ')}
      GROUP BY m.id ORDER BY m.id DESC LIMIT ?`,
    [...params, f.limit],
  );
}

export async function myLedger(db: Sql, session: Session, query: z.output<typeof LedgerQuery>): Promise<Page<StatementLine>> {
  const rows = await movements(db, session, {
    kind: query.kind,
    beforeId: query.cursor ? Number(query.cursor[0]) : undefined,
    limit: query.limit + 1,
  });
  return toPage(
    rows,
    query.limit,
    (r) => [Number(r.id)],
    (r) => line(r, session.role),
  );
}

/** "-317.50" → "-317,50": the decimal comma a Russian spreadsheet reads as a number. */
const csvMoney = (decimal: string) => decimal.replace('.', ',');
const csvField = (value: string) => (/[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * The statement of [from, to] (UTC days, both included) as CSV: UTF-8 with a BOM so that a
 * spreadsheet opens it in Russian, `;`-separated with decimal commas (a Russian locale's
 * defaults), CRLF lines (RFC 4180), oldest first as a statement reads.
 */
export async function statementCsv(
  db: Sql,
  session: Session,
  query: z.output<typeof StatementQuery>,
): Promise<{ filename: string; csv: string }> {
  const toExclusive = new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const rows = await movements(db, session, { kind: query.kind, from: query.from, toExclusive, limit: MAX_CSV_LINES + 1 });
  if (rows.length > MAX_CSV_LINES)
    throw validationFailed([{ path: 'from', message: `the period holds more than ${MAX_CSV_LINES} movements; choose a shorter one` }]);
  const buckets = BUCKETS_BY_ROLE[session.role];
  const header = ['Дата и время (UTC)', 'Операция', 'Вид', 'Задание', 'Платёж', 'Выплата', ...buckets.map((b) => EFFECT_NAMES[b].csv)];
  const lines = rows.reverse().map((row) => {
    const l = line(row, session.role);
    return [
      l.createdAt.slice(0, 19).replace('T', ' '),
      l.description,
      l.kind,
      String(l.taskId ?? ''),
      String(l.paymentId ?? ''),
      String(l.payoutId ?? ''),
      ...buckets.map((b) => csvMoney(l.effects[EFFECT_NAMES[b].json]!)),
    ];
  });
  const csv = `\uFEFF${[header, ...lines].map((fields) => fields.map(csvField).join(';')).join('\r\n')}\r\n`;
  return { filename: `execorder-${session.role}-${query.from}-${query.to}.csv`, csv };
}
