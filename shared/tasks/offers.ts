// Offers on `choose` tasks (API v2, "Offers"): an application carries an optional message, price
// and days; the applicant may change or withdraw it while the task is open; assigning adopts it.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { accountNames } from '../cache/names';
import type { RequestDb, Sql, Tx } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { conflict, forbidden, invalidState, notFound } from '../errors';
import { idAfter, toPage, type Page } from '../pagination';
import { formatMoney, toKopecks, type Kopecks } from '../money/kopecks';
import { lockAccount, moveMoney, transfer } from '../money/ledger';
import { ratingsOf } from '../reviews/ratings';
import type { ApplicationsQuery, AssignBody, OfferBody } from './schemas';
import { invalidateFeed } from './feed-cache';
import { taskFor, type TaskAnswer } from './details';
import { recordStep } from './history';
import { check, lockTask, setStatus, transition } from './transitions';
import type { TaskRow } from './view';

export type Offer = z.output<typeof OfferBody>;

export interface ApplicationView {
  id: number;
  executor: { id: number; name: string; rating: string | null; reviews: number };
  message: string | null;
  price: string | null;
  days: number | null;
  createdAt: string;
  updatedAt: string;
}

interface ApplicationRow {
  id: number;
  executorId: number;
  message: string | null;
  price: string | null;
  days: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const APPLICATION_COLUMNS = `id, executor_id AS executorId, message, price, days, created_at AS createdAt, updated_at AS updatedAt`;

async function applicationViews(db: Sql, rows: ApplicationRow[]): Promise<ApplicationView[]> {
  const ids = rows.map((r) => r.executorId);
  const [names, ratings] = await Promise.all([accountNames(db, ids), ratingsOf(db, ids, 'executor')]);
  return rows.map((r) => ({
    id: r.id,
    executor: { id: r.executorId, name: names.get(r.executorId) ?? '', ...(ratings.get(r.executorId) ?? { rating: null, reviews: 0 }) },
    message: r.message,
    price: r.price === null ? null : formatMoney(toKopecks(r.price)),
    days: r.days,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function applicationById(tx: Sql, id: number): Promise<ApplicationView> {
  const rows = await tx.rows<ApplicationRow>(`SELECT ${APPLICATION_COLUMNS} FROM task_application WHERE id = ?`, [id]);
  const [view] = await applicationViews(tx, rows);
  if (!view) throw notFound('Application');
  return view;
}

const offerParams = (offer: Offer) => [offer.message, offer.price === null ? null : formatMoney(offer.price), offer.days];

export async function applyToTask(db: RequestDb, taskId: number, executor: Session, offer: Offer): Promise<ApplicationView> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    check(task, executor, { who: 'not-owner', from: ['actual'], assignment: 'choose' });
    const res = await tx.exec('INSERT IGNORE INTO task_application (task_id, executor_id, message, price, days) VALUES (?, ?, ?, ?, ?)', [
      taskId,
      executor.accountId,
      ...offerParams(offer),
    ]);
    if (res.affectedRows === 0) throw conflict('conflict', 'You have already applied to this task');
    await enqueue(tx, { type: 'task_applied', taskId, executorId: executor.accountId, applicationId: res.insertId });
    return applicationById(tx, res.insertId);
  });
}

/** The caller's own application on an open task, locked (the task row is locked first). */
async function ownApplication(tx: Tx, taskId: number, executor: Session): Promise<{ task: TaskRow; applicationId: number }> {
  const task = await lockTask(tx, taskId);
  const [application] = await tx.rows<{ id: number }>('SELECT id FROM task_application WHERE task_id = ? AND executor_id = ? FOR UPDATE', [
    taskId,
    executor.accountId,
  ]);
  if (!application) throw notFound('Your application to this task');
  if (task.status !== 'actual') throw invalidState(`The task is ${task.status}: its offers are closed`);
  return { task, applicationId: application.id };
}

/**
 * A task as `GET /api/tasks/{id}` answers it. An executor's session also gets its own offer on a
 * `choose` task (`myApplication`, null when it has none): the site shows it, to change or withdraw.
 */
export async function taskWithOwnOffer(
  db: RequestDb,
  taskId: number,
  viewer: Session | null,
): Promise<TaskAnswer & { myApplication?: ApplicationView | null }> {
  const task = await taskFor(db, taskId, viewer);
  if (viewer?.role !== 'executor' || task.assignment !== 'choose') return task;
  const rows = await db.rows<ApplicationRow>(`SELECT ${APPLICATION_COLUMNS} FROM task_application WHERE task_id = ? AND executor_id = ?`, [
    taskId,
    viewer.accountId,
  ]);
  const [mine] = await applicationViews(db, rows);
  return { ...task, myApplication: mine ?? null };
}

/** Replaces the whole offer; the customer is told. */
export async function changeOffer(db: RequestDb, taskId: number, executor: Session, offer: Offer): Promise<ApplicationView> {
  return db.transaction(async (tx) => {
    const { applicationId } = await ownApplication(tx, taskId, executor);
    await tx.exec('UPDATE task_application SET message = ?, price = ?, days = ? WHERE id = ?', [...offerParams(offer), applicationId]);
    await enqueue(tx, {
      type: 'offer_changed',
      taskId,
      executorId: executor.accountId,
      applicationId,
      withdrawn: false,
      message: offer.message,
      price: offer.price === null ? null : formatMoney(offer.price),
      days: offer.days,
    });
    return applicationById(tx, applicationId);
  });
}

export async function withdrawOffer(db: RequestDb, taskId: number, executor: Session): Promise<void> {
  await db.transaction(async (tx) => {
    const { applicationId } = await ownApplication(tx, taskId, executor);
    await tx.exec('DELETE FROM task_application WHERE id = ?', [applicationId]);
    await enqueue(tx, {
      type: 'offer_changed',
      taskId,
      executorId: executor.accountId,
      applicationId,
      withdrawn: true,
      message: null,
      price: null,
      days: null,
    });
  });
}

/** The customer's view of the offers, oldest first. */
export async function taskApplications(
  db: RequestDb,
  taskId: number,
  customer: Session,
  query: z.output<typeof ApplicationsQuery>,
): Promise<Page<ApplicationView>> {
  const [task] = await db.rows<{ customerId: number }>('SELECT customer_id AS customerId FROM task WHERE id = ?', [taskId]);
  if (!task) throw notFound('Task');
  if (task.customerId !== customer.accountId) throw forbidden('Only the customer who posted the task sees its applications');
  const rows = await db.rows<ApplicationRow>(
    `SELECT ${APPLICATION_COLUMNS} FROM task_application WHERE task_id = ? AND id > ? ORDER BY id ASC LIMIT ?`,
    [taskId, idAfter(query.cursor), query.limit + 1],
  );
  const page = toPage(
    rows,
    query.limit,
    (r) => [r.id],
    (r) => r,
  );
  return { items: await applicationViews(db, page.items), nextCursor: page.nextCursor };
}

/**
 * Adopts the chosen offer inside the assign transaction (the task row is locked): the reward
 * becomes the offer's price, the difference held or refunded (409 insufficient_funds, and the
 * whole assign rolls back, when the balance is short); answers the executor and the days.
 */
async function adoptOffer(
  tx: Tx,
  task: TaskRow,
  choice: z.output<typeof AssignBody>,
): Promise<{ executorId: number; days: number | null }> {
  const [application] =
    'applicationId' in choice
      ? await tx.rows<{ executorId: number; price: string | null; days: number | null }>(
          'SELECT executor_id AS executorId, price, days FROM task_application WHERE id = ? AND task_id = ?',
          [choice.applicationId, task.id],
        )
      : await tx.rows<{ executorId: number; price: string | null; days: number | null }>(
          'SELECT executor_id AS executorId, price, days FROM task_application WHERE executor_id = ? AND task_id = ?',
          [choice.executorId, task.id],
        );
  if ('executorId' in choice && choice.executorId === task.customerId) throw forbidden('You cannot work on a task of your own account');
  if (!application) throw notFound('Application of this executor');
  if (application.executorId === task.customerId) throw forbidden('You cannot work on a task of your own account');
  if (application.price !== null) await adoptPrice(tx, task, toKopecks(application.price));
  return { executorId: application.executorId, days: application.days ?? task.days };
}

async function adoptPrice(tx: Tx, task: TaskRow, price: Kopecks): Promise<void> {
  const difference = price - toKopecks(task.reward);
  if (difference === 0) return;
  const balance = { accountId: task.customerId, bucket: 'balance' } as const;
  const held = { accountId: task.customerId, bucket: 'balance_held' } as const;
  await lockAccount(tx, task.customerId);
  await moveMoney(
    tx,
    difference > 0
      ? { kind: 'task_hold', taskId: task.id, legs: transfer(difference as Kopecks, balance, held) }
      : { kind: 'task_refund', taskId: task.id, legs: transfer(-difference as Kopecks, held, balance) },
  );
  await tx.exec('UPDATE task SET reward = ? WHERE id = ?', [formatMoney(price), task.id]);
}

/** Assigns the executor of the chosen offer, adopting its price and days; the due date starts now. */
export async function assignExecutor(
  db: RequestDb,
  taskId: number,
  customer: Session,
  choice: z.output<typeof AssignBody>,
): Promise<TaskAnswer> {
  return transition(db, taskId, customer, { who: 'owner', from: ['actual'], assignment: 'choose' }, async (tx, task) => {
    const { executorId, days } = await adoptOffer(tx, task, choice);
    await setStatus(tx, taskId, "status = 'in_work', executor_id = ?, days = ?, due_at = NOW(3) + INTERVAL days DAY", [executorId, days]);
    await recordStep(tx, taskId, customer.accountId, 'assign');
    await enqueue(tx, { type: 'executor_chosen', taskId, executorId });
    tx.onCommit(invalidateFeed);
  });
}
