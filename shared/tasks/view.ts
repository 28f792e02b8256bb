// Tasks as the contract shows them: lists take names from the name cache, one task (an action's
// answer, a task's page) comes whole from one statement; categories from their in-process list.
import { accountNames } from '../cache/names';
import type { Sql } from '../db/request-db';
import { notFound } from '../errors';
import { formatMoney, toKopecks } from '../money/kopecks';
import { formatRating, ratingsOf, type Rating } from '../reviews/ratings';
import { toDisputeView, type DisputeView, type ShownDisputeRow } from '../disputes/view';
import { historyItem, type HistoryItem } from './history';
import { listCategories, type Category } from './categories';
import type { TASK_STATUSES } from './schemas';

export type TaskStatus = (typeof TASK_STATUSES)[number];
type Assignment = 'first' | 'choose';

export interface TaskRow {
  id: number;
  customerId: number;
  executorId: number | null;
  categoryId: number;
  title: string;
  description: string;
  reward: string;
  days: number | null;
  dueAt: Date | null;
  rejections: number;
  assignment: Assignment;
  status: TaskStatus;
  frozenFrom: TaskStatus | null;
  comment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** TaskRow's columns, of the table `alias` when a query joins others. */
const taskColumns = (alias = '') => {
  const t = alias ? `${alias}.` : '';
  return `${t}id, ${t}customer_id AS customerId, ${t}executor_id AS executorId, ${t}category_id AS categoryId,
  ${t}title, ${t}description, ${t}reward, ${t}days, ${t}due_at AS dueAt, ${t}rejections, ${t}assignment, ${t}status,
  ${t}frozen_from AS frozenFrom, ${t}comment, ${t}created_at AS createdAt, ${t}updated_at AS updatedAt`;
};

export const TASK_COLUMNS = taskColumns();

export interface TaskView {
  id: number;
  title: string;
  description: string;
  reward: string;
  days: number | null;
  dueAt: string | null;
  overdue: boolean;
  rejections: number;
  category: Category;
  assignment: Assignment;
  status: TaskStatus;
  customer: { id: number; name: string; rating: string | null; reviews: number };
  executor: { id: number; name: string } | null;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function toTaskViews(db: Sql, rows: TaskRow[]): Promise<TaskView[]> {
  const ids = rows.flatMap((r) => (r.executorId ? [r.customerId, r.executorId] : [r.customerId]));
  const [names, categories, customerRatings] = await Promise.all([
    accountNames(db, ids),
    listCategories(db),
    ratingsOf(
      db,
      rows.map((r) => r.customerId),
      'customer',
    ),
  ]);
  return rows.map((r) =>
    viewOf(r, categories, {
      customer: names.get(r.customerId) ?? '',
      executor: r.executorId ? (names.get(r.executorId) ?? '') : null,
      customerRating: customerRatings.get(r.customerId)!,
    }),
  );
}

interface ViewFacts {
  customer: string;
  executor: string | null;
  customerRating: Rating;
}

function viewOf(r: TaskRow, categories: Category[], facts: ViewFacts): TaskView {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    reward: formatMoney(toKopecks(r.reward)),
    days: r.days,
    dueAt: r.dueAt ? r.dueAt.toISOString() : null,
    overdue: r.status === 'in_work' && r.dueAt !== null && Date.now() > r.dueAt.getTime(),
    rejections: r.rejections,
    category: categories.find((c) => c.id === r.categoryId) ?? { id: r.categoryId, slug: '', name: '' },
    assignment: r.assignment,
    status: r.status,
    customer: { id: r.customerId, name: facts.customer, ...facts.customerRating },
    executor: r.executorId && facts.executor !== null ? { id: r.executorId, name: facts.executor } : null,
    comment: r.comment,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** An ISO 8601 string of a DATETIME(3) column, as toISOString() writes it (sessions speak UTC). */
const isoOf = (column: string) =>
  `CONCAT(DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.'), LPAD(MICROSECOND(${column}) DIV 1000, 3, '0'), 'Z')`;

/**
 * One task with everything its answer shows, in one statement: the names and the customer's
 * rating joined by primary key, the latest dispute as JSON, and the history as one line per step
 * (the task's columns on each). An action reads it last in its transaction (SQL only while rows
 * are locked; no cache round trips after commit), and a task's page reads it from the replica.
 * (The bench's floor sends it too.) The history is joined, not aggregated: a JSON_ARRAYAGG of
 * objects holding the 2000-character comment made MariaDB build an on-disk temporary table for
 * every answer, and under load the answers queued for those (12 ms each at 130 creates/s, over
 * half the primary's statement time). Nor is it sorted here: ORDER BY a joined table's column
 * made one too; the steps are put in order as they are read (readTaskAnswerRow).
 */
export const TASK_ANSWER_SQL = `SELECT ${taskColumns('t')},
    CONCAT(c.fname, ' ', c.sname) AS customerName, CONCAT(e.fname, ' ', e.sname) AS executorName,
    r.reviews AS customerReviews, r.rating_sum AS customerRatingSum,
    h.id AS stepId, ${isoOf('h.at')} AS stepAt, h.actor_id AS stepActorId, CONCAT(a.fname, ' ', a.sname) AS stepActorName,
    h.action AS stepAction, h.comment AS stepComment,
    (SELECT JSON_OBJECT('id', d.id, 'taskId', d.task_id, 'openedBy', d.opened_by, 'reason', d.reason,
        'customerAmount', CAST(d.customer_amount AS CHAR), 'executorAmount', CAST(d.executor_amount AS CHAR),
        'status', d.status, 'taskFrom', d.task_from, 'respondBy', ${isoOf('d.respond_by')},
        'resolutionAmount', CAST(d.resolution_amount AS CHAR), 'resolutionBy', d.resolution_by,
        'resolutionComment', d.resolution_comment, 'createdAt', ${isoOf('d.created_at')},
        'resolvedAt', IF(d.resolved_at IS NULL, NULL, ${isoOf('d.resolved_at')}),
        'taskTitle', t.title, 'taskReward', CAST(t.reward AS CHAR), 'taskCommission', CAST(t.commission AS CHAR))
       FROM dispute d WHERE d.task_id = t.id ORDER BY d.id DESC LIMIT 1) AS dispute
  FROM task t
  JOIN account c ON c.id = t.customer_id
  LEFT JOIN account e ON e.id = t.executor_id
  LEFT JOIN account_rating r ON r.account_id = t.customer_id AND r.role = 'customer'
  LEFT JOIN task_history h ON h.task_id = t.id
  LEFT JOIN account a ON a.id = h.actor_id
 WHERE t.id = ?`;

type JsonDate<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: T[P] extends Date ? string : T[P] extends Date | null ? string | null : T[P];
};
type HistoryJson = Parameters<typeof historyItem>[0];
type DisputeJson = JsonDate<ShownDisputeRow, 'respondBy' | 'createdAt' | 'resolvedAt'>;

interface TaskAnswerFacts extends TaskRow {
  customerName: string;
  executorName: string | null;
  customerReviews: number | null;
  customerRatingSum: number | null;
  dispute: DisputeJson | string | null;
}

/** A line of TASK_ANSWER_SQL: the task, and one step of its history (all null for a task without one). */
interface TaskAnswerLine extends TaskAnswerFacts {
  stepId: number | null;
  stepAt: string | null;
  stepActorId: number | null;
  stepActorName: string | null;
  stepAction: HistoryJson['action'] | null;
  stepComment: string | null;
}

/** The task with its history, oldest step first. (Also what an Idempotency-Key keeps of an action's answer.) */
export interface TaskAnswerRow extends TaskAnswerFacts {
  history: HistoryJson[] | string | null;
}

/** mysql2 parses a column the server types as JSON; a server that sends it as text gets it parsed here. */
const fromJson = <T>(value: T | string | null): T | null => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/** A task as its answer shows it: the view, its history and its latest dispute (for parties only). */
export interface TaskDetails {
  view: TaskView;
  history: HistoryItem[];
  dispute: DisputeView | null;
}

export async function readTaskAnswerRow(db: Sql, taskId: number): Promise<TaskAnswerRow> {
  const lines = await db.rows<TaskAnswerLine>(TASK_ANSWER_SQL, [taskId]);
  const first = lines[0];
  if (!first) throw notFound('Task');
  const { stepId, stepAt, stepActorId, stepActorName, stepAction, stepComment, ...facts } = first;
  const history: HistoryJson[] = [];
  for (const line of lines.sort((a, b) => (a.stepId ?? 0) - (b.stepId ?? 0))) {
    if (line.stepId === null || line.stepAt === null || line.stepAction === null) continue;
    history.push({
      at: line.stepAt,
      actorId: line.stepActorId,
      name: line.stepActorName,
      action: line.stepAction,
      comment: line.stepComment,
    });
  }
  return { ...facts, history };
}

export async function detailsOf(db: Sql, row: TaskAnswerRow): Promise<TaskDetails> {
  const reviews = row.customerReviews ?? 0;
  const view = viewOf(row, await listCategories(db), {
    customer: row.customerName,
    executor: row.executorName,
    customerRating: { rating: formatRating(row.customerRatingSum ?? 0, reviews), reviews },
  });
  const history = (fromJson(row.history) ?? []).map(historyItem);
  const d = fromJson(row.dispute);
  const dispute =
    d &&
    toDisputeView({
      ...d,
      respondBy: new Date(d.respondBy),
      createdAt: new Date(d.createdAt),
      resolvedAt: d.resolvedAt ? new Date(d.resolvedAt) : null,
    });
  return { view, history, dispute };
}

export async function loadTaskDetails(db: Sql, taskId: number): Promise<TaskDetails> {
  return detailsOf(db, await readTaskAnswerRow(db, taskId));
}
