// Blocks by an administrator (API.md v2 "Blocks and appeals"). A block is two columns of the
// account row, read with the session on every request; what a blocked account may not do is
// declared per handler (`refuseBlocked`). Its open sessions stay, and earned money stays its own.
import { z } from 'zod';
import type { RequestDb, Tx } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { forbidden, invalidState, notFound } from '../errors';
import { text } from '../schemas';
import { spendResetLinks } from './reset-links';

export interface Block {
  reason: string;
  since: string;
}

/** The account columns of a block, as `BLOCK_COLUMNS` names them. */
export interface BlockRow {
  blockedReason: string | null;
  blockedAt: Date | null;
}

export const BLOCK_COLUMNS = 'blocked_reason AS blockedReason, blocked_at AS blockedAt';

export function blockOf(row: BlockRow): Block | null {
  return row.blockedReason !== null && row.blockedAt !== null ? { reason: row.blockedReason, since: row.blockedAt.toISOString() } : null;
}

export const BlockBody = z.strictObject({ reason: text(1, 1000, true) });
export const UnblockBody = z.strictObject({ comment: text(1, 1000, true) });

export interface BlockView {
  id: number;
  blocked: Block | null;
}

/** Locks the account row (accounts come before every other row in the lock order) and reads its block. */
export async function lockBlock(tx: Tx, accountId: number): Promise<Block | null> {
  const [row] = await tx.rows<BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM account WHERE id = ? FOR UPDATE`, [accountId]);
  if (!row) throw notFound('Account');
  return blockOf(row);
}

/** Everything a block does to an account, in the caller's transaction with the account row locked. */
async function applyBlock(tx: Tx, accountId: number, reason: string): Promise<void> {
  await tx.exec('UPDATE account SET blocked_reason = ?, blocked_at = NOW(3) WHERE id = ?', [reason, accountId]);
  // A reset link mailed before the block must not let anyone take the account over meanwhile.
  await spendResetLinks(tx, accountId);
  await enqueue(tx, { type: 'account_blocked', accountId, reason });
}

/** Lifts the block and answers every open appeal of the account with `answer` (the lifted block is its outcome). */
export async function liftBlock(tx: Tx, accountId: number, adminId: number, answer: string): Promise<void> {
  await tx.exec('UPDATE account SET blocked_reason = NULL, blocked_at = NULL WHERE id = ?', [accountId]);
  await tx.exec(
    `UPDATE appeal SET status = 'lifted', answer = ?, decided_by = ?, decided_at = NOW(3)
      WHERE account_id = ? AND status = 'open'`,
    [answer, adminId, accountId],
  );
}

export async function blockAccount(db: RequestDb, adminId: number, accountId: number, reason: string): Promise<BlockView> {
  if (accountId === adminId) throw forbidden('An administrator cannot block their own account');
  return db.transaction(async (tx) => {
    if (await lockBlock(tx, accountId)) throw invalidState('The account is already blocked');
    await applyBlock(tx, accountId, reason);
    return { id: accountId, blocked: await lockBlock(tx, accountId) };
  });
}

export async function unblockAccount(db: RequestDb, adminId: number, accountId: number, comment: string): Promise<BlockView> {
  return db.transaction(async (tx) => {
    if (!(await lockBlock(tx, accountId))) throw invalidState('The account is not blocked');
    await liftBlock(tx, accountId, adminId, comment);
    await enqueue(tx, { type: 'account_unblocked', accountId, comment });
    return { id: accountId, blocked: null };
  });
}
