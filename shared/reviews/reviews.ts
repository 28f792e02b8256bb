// Two-sided blind reviews of a done task (API.md v2 "Reviews and profiles"). Each party reviews
// the other once within REVIEW_WINDOW_DAYS of the task becoming done (a done task never changes,
// so its updated_at is that moment). Both reviews are published together, at the second review or
// when the window closes (the reviewWindows schedule); publishing and hiding move the subject's
// aggregate row in the same transaction. Lock order: task, review rows, aggregate rows.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { accountNames } from '../cache/names';
import { config } from '../config';
import type { RequestDb, Sql, Tx } from '../db/request-db';
import { conflict, forbidden, invalidState, notFound } from '../errors';
import { idBefore, toPage, type Page } from '../pagination';
import { countReview } from './ratings';
import type { Party as ReviewRole } from '../accounts/roles';
import type { AccountReviewsQuery, ReviewBody } from './schemas';

export interface ReviewView {
  id: number;
  task: { id: number; title: string };
  author: { id: number; name: string };
  subject: { id: number; name: string };
  subjectRole: ReviewRole;
  rating: number;
  text: string;
  createdAt: string;
  publishedAt: string | null;
}

interface ReviewRow {
  id: number;
  taskId: number;
  title: string;
  authorId: number;
  subjectId: number;
  subjectRole: ReviewRole;
  rating: number;
  text: string;
  createdAt: Date;
  publishedAt: Date | null;
  hiddenAt: Date | null;
}

const REVIEW_COLUMNS = `r.id, r.task_id AS taskId, t.title, r.author_id AS authorId, r.subject_id AS subjectId,
  r.subject_role AS subjectRole, r.rating, r.text, r.created_at AS createdAt, r.published_at AS publishedAt, r.hidden_at AS hiddenAt`;
const REVIEW_FROM = 'review r JOIN task t ON t.id = r.task_id';

const windowSeconds = () => Math.round(config.REVIEW_WINDOW_DAYS * 86_400);

async function reviewViews(db: Sql, rows: ReviewRow[]): Promise<ReviewView[]> {
  const names = await accountNames(
    db,
    rows.flatMap((r) => [r.authorId, r.subjectId]),
  );
  const person = (id: number) => ({ id, name: names.get(id) ?? '' });
  return rows.map((r) => ({
    id: r.id,
    task: { id: r.taskId, title: r.title },
    author: person(r.authorId),
    subject: person(r.subjectId),
    subjectRole: r.subjectRole,
    rating: r.rating,
    text: r.text,
    createdAt: r.createdAt.toISOString(),
    publishedAt: r.publishedAt?.toISOString() ?? null,
  }));
}

async function loadReview(db: Sql, reviewId: number): Promise<ReviewView> {
  const rows = await db.rows<ReviewRow>(`SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM} WHERE r.id = ?`, [reviewId]);
  const [view] = await reviewViews(db, rows);
  if (!view) throw notFound('Review');
  return view;
}

interface TaskParties {
  customerId: number;
  executorId: number | null;
  status: string;
  windowOpen: number;
}

async function lockTaskParties(tx: Tx, taskId: number): Promise<TaskParties> {
  const [task] = await tx.rows<TaskParties>(
    `SELECT customer_id AS customerId, executor_id AS executorId, status, updated_at > NOW(3) - INTERVAL ? SECOND AS windowOpen
       FROM task WHERE id = ? FOR UPDATE`,
    [windowSeconds(), taskId],
  );
  if (!task) throw notFound('Task');
  return task;
}

/** Who the author reviews: the customer reviews the executor, the executor the customer. */
function subjectOf(task: TaskParties, authorId: number): { subjectId: number; subjectRole: ReviewRole } {
  if (task.executorId !== null && authorId === task.customerId) return { subjectId: task.executorId, subjectRole: 'executor' };
  if (task.executorId !== null && authorId === task.executorId) return { subjectId: task.customerId, subjectRole: 'customer' };
  if (authorId === task.customerId) throw invalidState(`The task is ${task.status}: reviews open once it is done`);
  throw forbidden("Only the task's customer and executor review each other");
}

/** Publishes the task's unpublished reviews; a hidden one is published but counts nowhere. The task row is locked. */
async function publishTaskReviews(tx: Tx, taskId: number): Promise<number> {
  const due = await tx.rows<{ id: number; subjectId: number; subjectRole: ReviewRole; rating: number; hidden: number }>(
    `SELECT id, subject_id AS subjectId, subject_role AS subjectRole, rating, hidden_at IS NOT NULL AS hidden
       FROM review WHERE task_id = ? AND published_at IS NULL ORDER BY subject_id FOR UPDATE`,
    [taskId],
  );
  if (due.length === 0) return 0;
  await tx.exec('UPDATE review SET published_at = NOW(3) WHERE id IN (?)', [due.map((r) => r.id)]);
  for (const r of due) if (!r.hidden) await countReview(tx, r.subjectId, r.subjectRole, r.rating, 1);
  return due.length;
}

export async function postReview(db: RequestDb, author: Session, taskId: number, input: z.output<typeof ReviewBody>): Promise<ReviewView> {
  return db.transaction(async (tx) => {
    // The task's lock orders the two parties' reviews: the second one always sees the first.
    const task = await lockTaskParties(tx, taskId);
    const { subjectId, subjectRole } = subjectOf(task, author.accountId);
    const [mine] = await tx.rows('SELECT id FROM review WHERE task_id = ? AND author_id = ?', [taskId, author.accountId]);
    if (mine) throw conflict('conflict', 'You have already reviewed this task');
    if (task.status !== 'done') throw invalidState(`The task is ${task.status}: reviews open once it is done`);
    if (!task.windowOpen) throw invalidState(`The review window of ${config.REVIEW_WINDOW_DAYS} days after the task was done has closed`);
    const res = await tx.exec('INSERT INTO review (task_id, author_id, subject_id, subject_role, rating, text) VALUES (?, ?, ?, ?, ?, ?)', [
      taskId,
      author.accountId,
      subjectId,
      subjectRole,
      input.rating,
      input.text,
    ]);
    const [theirs] = await tx.rows('SELECT id FROM review WHERE task_id = ? AND author_id = ?', [taskId, subjectId]);
    if (theirs) await publishTaskReviews(tx, taskId);
    return loadReview(tx, res.insertId);
  });
}

/** The reviewWindows schedule: publishes the reviews of every task whose window has closed. */
export async function publishClosedWindows(db: RequestDb, batch = 500): Promise<number> {
  let published = 0;
  for (;;) {
    const due = await db.strongRows<{ taskId: number }>(
      `SELECT DISTINCT r.task_id AS taskId FROM review r JOIN task t ON t.id = r.task_id
        WHERE r.published_at IS NULL AND t.updated_at <= NOW(3) - INTERVAL ? SECOND LIMIT ?`,
      [windowSeconds(), batch],
    );
    for (const { taskId } of due) {
      published += await db.transaction(async (tx) => {
        await lockTaskParties(tx, taskId);
        return publishTaskReviews(tx, taskId);
      });
    }
    if (due.length < batch) return published;
  }
}

/** `{mine, theirs}` for a party of the task; theirs only once published, and neither when hidden from the other. */
export async function taskReviews(
  db: RequestDb,
  reader: Session,
  taskId: number,
): Promise<{ mine: ReviewView | null; theirs: ReviewView | null }> {
  const [task] = await db.rows<{ customerId: number; executorId: number | null }>(
    'SELECT customer_id AS customerId, executor_id AS executorId FROM task WHERE id = ?',
    [taskId],
  );
  if (!task) throw notFound('Task');
  if (reader.accountId !== task.customerId && reader.accountId !== task.executorId) {
    throw forbidden("Only the task's customer and executor see its reviews");
  }
  const rows = await db.rows<ReviewRow>(`SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM} WHERE r.task_id = ?`, [taskId]);
  const mine = rows.find((r) => r.authorId === reader.accountId);
  const theirs = rows.find((r) => r.authorId !== reader.accountId && r.publishedAt !== null && r.hiddenAt === null);
  const [mineView, theirsView] = await Promise.all([mine, theirs].map(async (r) => (r ? (await reviewViews(db, [r]))[0]! : null)));
  return { mine: mineView ?? null, theirs: theirsView ?? null };
}

/** An account's published, visible reviews, newest first, optionally in one role. */
export async function accountReviews(
  db: RequestDb,
  accountId: number,
  query: z.output<typeof AccountReviewsQuery>,
): Promise<Page<ReviewView>> {
  const [account] = await db.rows('SELECT id FROM account WHERE id = ?', [accountId]);
  if (!account) throw notFound('Account');
  const rows = await db.rows<ReviewRow>(
    `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM}
      WHERE r.subject_id = ? ${query.role ? 'AND r.subject_role = ?' : ''} AND r.id < ?
        AND r.published_at IS NOT NULL AND r.hidden_at IS NULL
      ORDER BY r.id DESC LIMIT ?`,
    [accountId, ...(query.role ? [query.role] : []), idBefore(query.cursor), query.limit + 1],
  );
  const page = toPage(
    rows,
    query.limit,
    (r) => [r.id],
    (r) => r,
  );
  return { items: await reviewViews(db, page.items), nextCursor: page.nextCursor };
}

/** Hides a review from every list and average; hiding a hidden review changes nothing. */
export async function hideReview(db: RequestDb, admin: Session, reviewId: number, reason: string): Promise<ReviewView> {
  return db.transaction(async (tx) => {
    const [review] = await tx.rows<{ subjectId: number; subjectRole: ReviewRole; rating: number; published: number; hidden: number }>(
      `SELECT subject_id AS subjectId, subject_role AS subjectRole, rating, published_at IS NOT NULL AS published,
              hidden_at IS NOT NULL AS hidden FROM review WHERE id = ? FOR UPDATE`,
      [reviewId],
    );
    if (!review) throw notFound('Review');
    if (!review.hidden) {
      await tx.exec('UPDATE review SET hidden_at = NOW(3), hidden_reason = ?, hidden_by = ? WHERE id = ?', [
        reason,
        admin.accountId,
        reviewId,
      ]);
      // An unpublished review was never counted; it is left out when its task's reviews are published.
      if (review.published) await countReview(tx, review.subjectId, review.subjectRole, review.rating, -1);
    }
    return loadReview(tx, reviewId);
  });
}
