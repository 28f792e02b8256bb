// Disputes (API v2, "Disputes"): either party opens one with a proposal, the other answers, the
// opener may withdraw; a matching answer, the response deadline or an admin resolves it, and the
// resolution settles the held reward in the same transaction. Every step locks the task row first.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { config } from '../config';
import type { RequestDb, Tx } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { forbidden, invalidState, notFound, validationFailed } from '../errors';
import { commissionOf, formatMoney, negate, toKopecks, type Kopecks } from '../money/kopecks';
import { lockAccount, moveMoney, type Leg } from '../money/ledger';
import { taskFor, type TaskAnswer } from '../tasks/details';
import { recordStep } from '../tasks/history';
import { executorOf, lockTask, setStatus } from '../tasks/transitions';
import type { TaskRow } from '../tasks/view';
import type { DecideBody, OpenDisputeBody, RespondBody } from './schemas';
import type { Party } from '../accounts/roles';
import {
  DISPUTE_COLUMNS,
  shownDisputes,
  toDisputeView,
  type DisputeRow,
  type DisputeView,
  type ResolutionBy,
  type ShownDisputeRow,
} from './view';

const AMOUNT_COLUMN: Record<Party, string> = { customer: 'customer_amount', executor: 'executor_amount' };
const other = (party: Party): Party => (party === 'customer' ? 'executor' : 'customer');

/** Which party the caller is on this task: the customer's session of its owner, or the assignee's executor session. */
function partyOf(task: TaskRow, session: Session): Party {
  if (session.role === 'customer' && task.customerId === session.accountId) return 'customer';
  if (session.role === 'executor' && task.executorId === session.accountId) return 'executor';
  throw forbidden('Only the customer and the executor of the task take part in its dispute');
}

const accountOf = (task: TaskRow, party: Party): number => (party === 'customer' ? task.customerId : executorOf(task));

function checkAmount(task: TaskRow, amount: Kopecks): void {
  if (amount > toKopecks(task.reward)) {
    throw validationFailed([
      { path: 'executorAmount', message: `must be at most the task's reward, ${formatMoney(toKopecks(task.reward))}` },
    ]);
  }
}

async function lockCurrentDispute(tx: Tx, task: TaskRow): Promise<DisputeRow> {
  const [dispute] =
    task.status === 'disputed'
      ? await tx.rows<DisputeRow>(`SELECT ${DISPUTE_COLUMNS} FROM dispute WHERE task_id = ? ORDER BY id DESC LIMIT 1 FOR UPDATE`, [task.id])
      : [];
  if (!dispute) throw invalidState(`The task is ${task.status}, with no open dispute`);
  return dispute;
}

export async function openDispute(
  db: RequestDb,
  taskId: number,
  session: Session,
  body: z.output<typeof OpenDisputeBody>,
): Promise<TaskAnswer> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    const opener = partyOf(task, session);
    // The executor may open one on work submitted, or on work in progress once it has been rejected.
    const allowed =
      opener === 'customer'
        ? task.status === 'in_work' || task.status === 'review'
        : task.status === 'review' || (task.status === 'in_work' && task.rejections > 0);
    if (!allowed)
      throw invalidState(
        task.status === 'disputed' ? 'The task already has an open dispute' : `A dispute cannot be opened on a task that is ${task.status}`,
      );
    checkAmount(task, body.executorAmount);
    const res = await tx.exec(
      `INSERT INTO dispute (task_id, opened_by, reason, ${AMOUNT_COLUMN[opener]}, task_from, respond_by)
       VALUES (?, ?, ?, ?, ?, NOW(3) + INTERVAL ? SECOND)`,
      [taskId, opener, body.reason, formatMoney(body.executorAmount), task.status, Math.round(config.DISPUTE_RESPONSE_HOURS * 3600)],
    );
    await setStatus(tx, taskId, "status = 'disputed'", []);
    const [opened] = await tx.rows<{ respondBy: Date }>('SELECT respond_by AS respondBy FROM dispute WHERE id = ?', [res.insertId]);
    const historyId = await recordStep(tx, taskId, session.accountId, 'dispute_opened', body.reason);
    await enqueue(tx, {
      type: 'dispute_opened',
      taskId,
      disputeId: res.insertId,
      recipientId: accountOf(task, other(opener)),
      historyId,
      openedBy: opener,
      reason: body.reason,
      executorAmount: formatMoney(body.executorAmount),
      respondBy: (opened?.respondBy ?? new Date()).toISOString(),
    });
    return taskFor(tx, taskId, session);
  });
}

export async function respondToDispute(
  db: RequestDb,
  taskId: number,
  session: Session,
  body: z.output<typeof RespondBody>,
): Promise<TaskAnswer> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    const party = partyOf(task, session);
    const dispute = await lockCurrentDispute(tx, task);
    if (party === dispute.openedBy) throw forbidden('The other party answers a dispute');
    if (dispute.status !== 'awaiting_response') throw invalidState(`The dispute is ${dispute.status}`);
    checkAmount(task, body.executorAmount);
    await tx.exec(`UPDATE dispute SET ${AMOUNT_COLUMN[party]} = ? WHERE id = ?`, [formatMoney(body.executorAmount), dispute.id]);
    const historyId = await recordStep(tx, taskId, session.accountId, 'dispute_answered', body.comment);
    const proposed = toKopecks((dispute.openedBy === 'customer' ? dispute.customerAmount : dispute.executorAmount) ?? '0');
    if (proposed === body.executorAmount) {
      await settle(tx, task, dispute, { amount: proposed, by: 'agreement', actorId: session.accountId, comment: body.comment ?? null });
    } else {
      await tx.exec("UPDATE dispute SET status = 'awaiting_admin' WHERE id = ?", [dispute.id]);
      await enqueue(tx, {
        type: 'dispute_answered',
        taskId,
        disputeId: dispute.id,
        recipientId: accountOf(task, dispute.openedBy),
        historyId,
        executorAmount: formatMoney(body.executorAmount),
        comment: body.comment ?? null,
      });
    }
    return taskFor(tx, taskId, session);
  });
}

export async function withdrawDispute(db: RequestDb, taskId: number, session: Session): Promise<TaskAnswer> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    const party = partyOf(task, session);
    const dispute = await lockCurrentDispute(tx, task);
    if (party !== dispute.openedBy) throw forbidden('Only the party that opened the dispute may withdraw it');
    await tx.exec("UPDATE dispute SET status = 'withdrawn' WHERE id = ?", [dispute.id]);
    // Back to the state it had; from review the auto-accept clock starts again.
    await setStatus(tx, taskId, "status = ?, submitted_at = IF(? = 'review', NOW(3), submitted_at)", [dispute.taskFrom, dispute.taskFrom]);
    await recordStep(tx, taskId, session.accountId, 'dispute_withdrawn');
    return taskFor(tx, taskId, session);
  });
}

export async function decideDispute(
  db: RequestDb,
  disputeId: number,
  admin: Session,
  body: z.output<typeof DecideBody>,
): Promise<DisputeView> {
  const [ref] = await db.strongRows<{ taskId: number }>('SELECT task_id AS taskId FROM dispute WHERE id = ?', [disputeId]);
  if (!ref) throw notFound('Dispute');
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, ref.taskId);
    const [dispute] = await tx.rows<DisputeRow>(`SELECT ${DISPUTE_COLUMNS} FROM dispute WHERE id = ? FOR UPDATE`, [disputeId]);
    if (!dispute) throw notFound('Dispute');
    if (dispute.status === 'resolved' || dispute.status === 'withdrawn') throw invalidState(`The dispute is ${dispute.status}`);
    checkAmount(task, body.executorAmount);
    await settle(tx, task, dispute, { amount: body.executorAmount, by: 'admin', actorId: admin.accountId, comment: body.comment });
    const [decided] = await tx.rows<ShownDisputeRow>(shownDisputes('id = ?'), [disputeId]);
    return toDisputeView(decided!);
  });
}

/** Resolves, at the opener's proposal, every dispute left unanswered past its respondBy. */
export async function resolveUnanswered(db: RequestDb, batch = 100): Promise<number> {
  let resolved = 0;
  for (;;) {
    const due = await db.strongRows<{ id: number; taskId: number }>(
      `SELECT id, task_id AS taskId FROM dispute WHERE status = 'awaiting_response' AND respond_by <= NOW(3) ORDER BY respond_by LIMIT ?`,
      [batch],
    );
    for (const { id, taskId } of due) {
      const done = await db.transaction(async (tx) => {
        const task = await lockTask(tx, taskId);
        const [dispute] = await tx.rows<DisputeRow>(
          `SELECT ${DISPUTE_COLUMNS} FROM dispute WHERE id = ? AND status = 'awaiting_response' AND respond_by <= NOW(3) FOR UPDATE`,
          [id],
        );
        if (!dispute) return false; // answered, withdrawn or decided meanwhile
        const proposal = dispute.openedBy === 'customer' ? dispute.customerAmount : dispute.executorAmount;
        await settle(tx, task, dispute, { amount: toKopecks(proposal ?? '0'), by: 'timeout', actorId: null, comment: null });
        return true;
      });
      if (done) resolved++;
    }
    if (due.length < batch) return resolved;
  }
}

interface Resolution {
  amount: Kopecks;
  by: ResolutionBy;
  actorId: number | null;
  comment: string | null;
}

/**
 * The held reward R is split: the executor earns E less its commission, the customer gets R − E
 * back; the task ends done when E > 0, else cancelled. One movement, `dispute_settlement`.
 */
async function settle(tx: Tx, task: TaskRow, dispute: DisputeRow, resolution: Resolution): Promise<void> {
  if (task.executorId === null) throw new Error(`task ${task.id} disputed without an executor`);
  const reward = toKopecks(task.reward);
  const earned = resolution.amount;
  const commission = commissionOf(earned, config.COMMISSION_PERCENT);
  // Account rows in ascending id, after the task row (the lock order of shared/money/ledger.ts).
  for (const id of [task.customerId, task.executorId].sort((a, b) => a - b)) await lockAccount(tx, id);
  const legs: Leg[] = [
    { accountId: task.customerId, bucket: 'balance_held', amount: negate(reward) },
    { accountId: task.customerId, bucket: 'balance', amount: reward - earned },
    { accountId: task.executorId, bucket: 'salary', amount: earned - commission },
    { accountId: null, bucket: 'commission', amount: commission },
  ];
  await moveMoney(tx, { kind: 'dispute_settlement', taskId: task.id, legs: legs.filter((leg) => leg.amount !== 0) });
  await setStatus(tx, task.id, 'status = ?, commission = ?', [
    earned > 0 ? 'done' : 'cancelled',
    earned > 0 ? formatMoney(commission) : null,
  ]);
  await tx.exec(
    `UPDATE dispute SET status = 'resolved', resolution_amount = ?, resolution_by = ?, resolution_comment = ?, resolved_at = NOW(3) WHERE id = ?`,
    [formatMoney(earned), resolution.by, resolution.comment, dispute.id],
  );
  const historyId = await recordStep(tx, task.id, resolution.actorId, 'dispute_resolved', resolution.comment);
  await enqueue(tx, {
    type: 'dispute_resolved',
    taskId: task.id,
    disputeId: dispute.id,
    historyId,
    by: resolution.by,
    executorAmount: formatMoney(earned),
    executorEarned: formatMoney(earned - commission),
    customerRefund: formatMoney(reward - earned),
    comment: resolution.comment,
  });
}
