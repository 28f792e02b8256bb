// Posting a task holds its reward: balance → balanceHeld, in the transaction that creates it.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import type { RequestDb } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { validationFailed } from '../http/errors';
import { lockAccount, moveMoney, transfer } from '../money/ledger';
import { formatMoney } from '../money/kopecks';
import { findCategory } from './categories';
import { invalidateFeed } from './feed-cache';
import type { CreateTaskBody } from './schemas';
import { taskFor, type TaskAnswer } from './details';

export async function createTask(db: RequestDb, customer: Session, input: z.output<typeof CreateTaskBody>): Promise<TaskAnswer> {
  if (!(await findCategory(db, input.categoryId))) {
    throw validationFailed([{ path: 'categoryId', message: 'no such category' }]);
  }
  return db.transaction(async (tx) => {
    await lockAccount(tx, customer.accountId);
    const res = await tx.exec(
      `INSERT INTO task (customer_id, category_id, title, description, reward, days, assignment)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [customer.accountId, input.categoryId, input.title, input.description, formatMoney(input.reward), input.days, input.assignment]);
    const taskId = res.insertId;
    await moveMoney(tx, {
      kind: 'task_hold', taskId,
      legs: transfer(input.reward, { accountId: customer.accountId, bucket: 'balance' }, { accountId: customer.accountId, bucket: 'balance_held' }),
    });
    await enqueue(tx, { type: 'task_created', taskId });
    db.onCommit(invalidateFeed);
    return taskFor(tx, taskId, customer);
  });
}
