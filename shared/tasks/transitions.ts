// Every change of a task's state. Each one locks the task row on the primary, checks who may
// do what from which state, and changes state, money and outbox in the same transaction.
import type { Session } from '../accounts/sessions';
import { config } from '../config';
import type { RequestDb, Tx } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { conflict, forbidden, invalidState, notFound } from '../errors';
import { commissionOf, formatMoney, negate, toKopecks } from '../money/kopecks';
import { moveMoney, transfer, type Leg } from '../money/ledger';
import { invalidateFeed } from './feed-cache';
import { recordStep } from './history';
import { answerFromRow, type TaskAnswer } from './details';
import { readTaskAnswerRow, TASK_COLUMNS, type TaskRow, type TaskStatus } from './view';

type Who = 'owner' | 'assignee' | 'not-owner' | 'admin';

export interface Rule {
  who: Who;
  from: TaskStatus[];
  assignment?: 'first' | 'choose';
}

export async function lockTask(tx: Tx, taskId: number): Promise<TaskRow> {
  const [task] = await tx.rows<TaskRow>(`SELECT ${TASK_COLUMNS} FROM task WHERE id = ? FOR UPDATE`, [taskId]);
  if (!task) throw notFound('Task');
  return task;
}

export function check(task: TaskRow, actor: Session, rule: Rule): void {
  const allowed = {
    owner: task.customerId === actor.accountId,
    assignee: task.executorId === actor.accountId,
    'not-owner': task.customerId !== actor.accountId,
    admin: actor.role === 'admin',
  }[rule.who];
  if (!allowed) {
    throw forbidden(
      {
        owner: 'Only the customer who posted the task may do this',
        assignee: 'Only the executor working on the task may do this',
        'not-owner': 'You cannot work on a task of your own account',
        admin: 'Only an administrator may do this',
      }[rule.who],
    );
  }
  if (rule.assignment && task.assignment !== rule.assignment) {
    throw invalidState(
      rule.assignment === 'first'
        ? 'This task is assigned by the customer: apply instead'
        : 'This task goes to the first executor: take it instead',
    );
  }
  if (!rule.from.includes(task.status)) throw invalidState(`The task is ${task.status}`);
}

/** Locks, checks, runs `change`, and answers the task as it stands after the change. */
export async function transition(
  db: RequestDb,
  taskId: number,
  actor: Session,
  rule: Rule,
  change: (tx: Tx, task: TaskRow) => Promise<void>,
): Promise<TaskAnswer> {
  const row = await db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    check(task, actor, rule);
    await change(tx, task);
    return readTaskAnswerRow(tx, taskId);
  });
  return answerFromRow(db, row, actor);
}

/**
 * Changing `status` rewrites the task's entries in the (customer_id, …) and (executor_id, …)
 * indexes that serve its foreign keys, so InnoDB checks them and takes shared locks on both
 * accounts. An action that moves money therefore moves it first (exclusive account locks, in
 * ascending id: shared/money/ledger.ts), then sets the status; otherwise two accepts for one
 * customer both hold the shared lock and both wait to upgrade it (InnoDB's LATEST DETECTED
 * DEADLOCK showed exactly that).
 */
export const setStatus = (tx: Tx, taskId: number, assignments: string, params: unknown[]) =>
  tx.exec(`UPDATE task SET ${assignments} WHERE id = ?`, [...params, taskId]);

export async function takeTask(db: RequestDb, taskId: number, executor: Session): Promise<TaskAnswer> {
  const row = await db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    // The winner of a race has moved the task on; the others learn it was taken, not a generic state error.
    if (task.status !== 'actual' && task.executorId !== null && task.customerId !== executor.accountId) {
      throw conflict('task_taken', 'Another executor has already taken this task');
    }
    check(task, executor, { who: 'not-owner', from: ['actual'], assignment: 'first' });
    // The due date runs from the start of the work (null without days).
    await setStatus(tx, taskId, "status = 'in_work', executor_id = ?, due_at = NOW(3) + INTERVAL days DAY", [executor.accountId]);
    await recordStep(tx, taskId, executor.accountId, 'take');
    await enqueue(tx, { type: 'task_taken', taskId, executorId: executor.accountId });
    tx.onCommit(invalidateFeed);
    return readTaskAnswerRow(tx, taskId);
  });
  return answerFromRow(db, row, executor);
}

export async function abandonTask(db: RequestDb, taskId: number, executor: Session): Promise<TaskAnswer> {
  return transition(db, taskId, executor, { who: 'assignee', from: ['in_work'] }, async (tx) => {
    await setStatus(tx, taskId, "status = 'actual', executor_id = NULL, due_at = NULL", []);
    // Having given the task up, the executor is no longer among those the customer can choose.
    await tx.exec('DELETE FROM task_application WHERE task_id = ? AND executor_id = ?', [taskId, executor.accountId]);
    await recordStep(tx, taskId, executor.accountId, 'abandon');
    tx.onCommit(invalidateFeed);
  });
}

export async function submitWork(db: RequestDb, taskId: number, executor: Session, comment: string | undefined): Promise<TaskAnswer> {
  return transition(db, taskId, executor, { who: 'assignee', from: ['in_work'] }, async (tx) => {
    await setStatus(tx, taskId, "status = 'review', submitted_at = NOW(3), comment = ?", [comment || null]);
    const historyId = await recordStep(tx, taskId, executor.accountId, 'submit', comment);
    await enqueue(tx, { type: 'work_submitted', taskId, historyId, comment: comment || null });
  });
}

/** The executor of a task whose state says it has one (in work, in review, disputed); none there is a bug, not a refusal. */
export function executorOf(task: TaskRow): number {
  if (task.executorId === null) throw new Error(`task ${task.id} is ${task.status} without an executor`);
  return task.executorId;
}

/** The reward leaves escrow: the executor earns it less the commission, which the platform keeps. */
async function payForTask(tx: Tx, task: TaskRow, automatic: boolean): Promise<void> {
  const executorId = executorOf(task);
  const reward = toKopecks(task.reward);
  const commission = commissionOf(reward, config.COMMISSION_PERCENT);
  const legs: Leg[] = [
    { accountId: task.customerId, bucket: 'balance_held', amount: negate(reward) },
    { accountId: executorId, bucket: 'salary', amount: reward - commission },
    { accountId: null, bucket: 'commission', amount: commission },
  ];
  // Money before the status: see `setStatus`.
  await moveMoney(tx, { kind: 'task_payment', taskId: task.id, legs: legs.filter((leg) => leg.amount !== 0) });
  await setStatus(tx, task.id, "status = 'done', commission = ?", [formatMoney(commission)]);
  await enqueue(tx, { type: 'work_accepted', taskId: task.id, executorId, automatic });
}

export async function acceptWork(db: RequestDb, taskId: number, customer: Session): Promise<TaskAnswer> {
  return transition(db, taskId, customer, { who: 'owner', from: ['review'] }, async (tx, task) => {
    await payForTask(tx, task, false);
    await recordStep(tx, taskId, customer.accountId, 'accept');
  });
}

export async function rejectWork(db: RequestDb, taskId: number, customer: Session, comment: string): Promise<TaskAnswer> {
  return transition(db, taskId, customer, { who: 'owner', from: ['review'] }, async (tx, task) => {
    await setStatus(tx, taskId, "status = 'in_work', submitted_at = NULL, comment = ?, rejections = rejections + 1", [comment]);
    const historyId = await recordStep(tx, taskId, customer.accountId, 'reject', comment);
    await enqueue(tx, { type: 'work_rejected', taskId, executorId: executorOf(task), historyId, comment });
  });
}

export async function cancelTask(db: RequestDb, taskId: number, customer: Session): Promise<TaskAnswer> {
  return transition(db, taskId, customer, { who: 'owner', from: ['actual', 'in_work'] }, async (tx, task) => {
    // Work under way may be cancelled only once its due date has passed (API v2, "Deadlines").
    if (task.status === 'in_work' && !(task.dueAt && task.dueAt.getTime() < Date.now())) {
      throw invalidState('The task is in work and not overdue');
    }
    // Money before the status: see `setStatus`.
    await moveMoney(tx, {
      kind: 'task_refund',
      taskId,
      legs: transfer(
        toKopecks(task.reward),
        { accountId: task.customerId, bucket: 'balance_held' },
        { accountId: task.customerId, bucket: 'balance' },
      ),
    });
    await setStatus(tx, taskId, "status = 'cancelled'", []);
    await recordStep(tx, taskId, customer.accountId, 'cancel');
    tx.onCommit(invalidateFeed);
  });
}

export async function freezeTask(db: RequestDb, taskId: number, admin: Session, comment: string): Promise<TaskAnswer> {
  return transition(db, taskId, admin, { who: 'admin', from: ['actual', 'in_work', 'review'] }, async (tx) => {
    await setStatus(tx, taskId, "frozen_from = status, status = 'frozen', comment = ?", [comment]);
    await recordStep(tx, taskId, admin.accountId, 'freeze', comment);
    tx.onCommit(invalidateFeed);
  });
}

export async function unfreezeTask(db: RequestDb, taskId: number, admin: Session, comment: string): Promise<TaskAnswer> {
  return transition(db, taskId, admin, { who: 'admin', from: ['frozen'] }, async (tx) => {
    // A task frozen in review waits the full auto-accept time again from now.
    await setStatus(
      tx,
      taskId,
      'status = frozen_from, frozen_from = NULL, comment = ?, submitted_at = IF(submitted_at IS NULL, NULL, NOW(3))',
      [comment],
    );
    await recordStep(tx, taskId, admin.accountId, 'unfreeze', comment);
    tx.onCommit(invalidateFeed);
  });
}

/** Accepts, as the customer would, every task that has waited in review longer than AUTO_ACCEPT_HOURS. */
export async function autoAcceptDue(db: RequestDb, batch = 100): Promise<number> {
  const dueSeconds = Math.round(config.AUTO_ACCEPT_HOURS * 3600);
  let accepted = 0;
  for (;;) {
    const due = await db.strongRows<{ id: number }>(
      `SELECT id FROM task WHERE status = 'review' AND submitted_at <= NOW(3) - INTERVAL ? SECOND ORDER BY submitted_at LIMIT ?`,
      [dueSeconds, batch],
    );
    for (const { id } of due) {
      const paid = await db.transaction(async (tx) => {
        const task = await lockTask(tx, id);
        if (task.status !== 'review') return false; // the customer decided meanwhile
        await payForTask(tx, task, true);
        await recordStep(tx, id, null, 'auto_accept');
        return true;
      });
      if (paid) accepted++;
    }
    if (due.length < batch) return accepted;
  }
}
