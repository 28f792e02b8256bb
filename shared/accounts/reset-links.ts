// Open password-reset links die with the password they were meant to replace.
import type { Sql } from '../db/request-db';

/**
 * Spends every open reset link of the account, inside the caller's transaction: a password
 * change, a confirmed reset and an admin block call it, so a link mailed earlier (to a mailbox
 * that may no longer be the owner's alone) can never set the password afterwards.
 */
export async function spendResetLinks(tx: Sql, accountId: number): Promise<void> {
  await tx.exec('UPDATE password_reset SET used_at = NOW(3) WHERE account_id = ? AND used_at IS NULL', [accountId]);
}
