// Posting a task holds its reward: balance → balanceHeld, in the transaction that creates it.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import type { RequestDb } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { validationFailed } from '../errors';
import { applyLegs, recordMovement, transfer } from '../money/ledger';
import { formatMoney } from '../money/kopecks';
import { findCategory } from './categories';
import { invalidateFeed } from './feed-cache';
import type { CreateTaskBody } from './schemas';
import { answerFromRow, type TaskAnswer } from './details';
import { readTaskAnswerRow } from './view';

export async function createTask(db: RequestDb, customer: Session, input: z.output<typeof CreateTaskBody>): Promise<TaskAnswer> {
  if (!(await findCategory(db, input.categoryId))) {
    throw validationFailed([{ path: 'categoryId', message: 'no such category' }]);
  }
  const row = await db.transaction(async (tx) => {
    // The hold first: it locks the account before the task's foreign key takes a shared lock on it.
    const legs = transfer(
      input.reward,
      { accountId: customer.accountId, bucket: 'balance' },
      { accountId: customer.accountId, bucket: 'balance_held' },
    );
    await applyLegs(tx, legs);
    const res = await tx.exec(
      `INSERT INTO task (customer_id, category_id, title, description, reward, days, assignment)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [customer.accountId, input.categoryId, input.title, input.description, formatMoney(input.reward), input.days, input.assignment],
    );
    const taskId = res.insertId;
    await recordMovement(tx, { kind: 'task_hold', taskId, legs });
    await enqueue(tx, { type: 'task_created', taskId });
    tx.onCommit(invalidateFeed);
    return readTaskAnswerRow(tx, taskId);
  });
  return answerFromRow(db, row, customer);
}
