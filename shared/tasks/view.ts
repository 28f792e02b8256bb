// Tasks as the contract shows them: names through the name cache, categories from their list.
import { accountNames } from '../cache/names';
import type { Sql } from '../db/request-db';
import { notFound } from '../http/errors';
import { formatMoney, toKopecks } from '../money/kopecks';
import { ratingsOf } from '../reviews/ratings';
import { listCategories, type Category } from './categories';

export type TaskStatus = 'actual' | 'in_work' | 'review' | 'done' | 'cancelled' | 'frozen' | 'disputed';
export type Assignment = 'first' | 'choose';

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

export const TASK_COLUMNS = `id, customer_id AS customerId, executor_id AS executorId, category_id AS categoryId,
  title, description, reward, days, due_at AS dueAt, rejections, assignment, status, frozen_from AS frozenFrom, comment,
  created_at AS createdAt, updated_at AS updatedAt`;

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
    accountNames(db, ids), listCategories(db), ratingsOf(db, rows.map((r) => r.customerId), 'customer')]);
  const person = (id: number) => ({ id, name: names.get(id) ?? '' });
  return rows.map((r) => ({
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
    customer: { ...person(r.customerId), ...customerRatings.get(r.customerId)! },
    executor: r.executorId ? person(r.executorId) : null,
    comment: r.comment,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** The task's row as it stands: inside an action's transaction, the one read its answer needs. */
export async function readTaskRow(db: Sql, taskId: number): Promise<TaskRow> {
  const [row] = await db.rows<TaskRow>(`SELECT ${TASK_COLUMNS} FROM task WHERE id = ?`, [taskId]);
  if (!row) throw notFound('Task');
  return row;
}

/** One task as the contract shows it. Actions call it after their commit: names come from memcached, never while rows are locked. */
export async function toTaskView(db: Sql, row: TaskRow): Promise<TaskView> {
  const [view] = await toTaskViews(db, [row]);
  return view!;
}

export async function loadTaskView(db: Sql, taskId: number): Promise<TaskView> {
  return toTaskView(db, await readTaskRow(db, taskId));
}
