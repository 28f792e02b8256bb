// Password reset by e-mail. The request only writes an outbox event, and does the same work whether
// or not the account exists, so neither its answer nor its timing tells; the token is made when the e-mail is sent and only its hash is kept, for an
// hour and one use. Spending it sets the password and ends every session of the account.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cacheCount } from '../cache/memcache';
import type { RequestDb, Sql } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { validationFailed } from '../errors';
import { Email, Password } from './accounts';
import { hashPassword } from './passwords';
import { spendResetLinks } from './reset-links';
import { revokeOtherSessions } from './sessions';
import { hashToken, newToken } from './tokens';

export const PasswordResetBody = z.strictObject({ email: Email });
export const ConfirmResetBody = z.strictObject({ token: z.string().trim().min(1).max(200), password: Password });

const TOKEN_VALID_HOURS = 1;
/** Reset e-mails per address per hour; more requests are answered alike and send nothing. */
const MAX_PER_HOUR = 3;

/** Always succeeds, so that the answer says nothing about which e-mails have accounts. */
export async function requestPasswordReset(db: RequestDb, input: z.output<typeof PasswordResetBody>): Promise<void> {
  // Counted before the lookup, for every address alike. A cache that is down counts nothing (null).
  const key = `pwreset:${createHash('sha256').update(input.email).digest('base64url')}`;
  const count = await cacheCount(key, 3600);
  if (count !== null && count > MAX_PER_HOUR) return;
  // An unknown address gets its event too, naming no account: one lookup, one outbox row, one
  // commit and one publish in both cases. The consumer finds nobody to mail.
  await db.transaction(async (tx) => {
    const [account] = await tx.rows<{ id: number }>('SELECT id FROM account WHERE email = ?', [input.email]);
    await enqueue(tx, { type: 'password_reset_requested', accountId: account?.id ?? null });
  });
}

/**
 * A fresh token for the reset that `outboxId` asked for, valid from now; it replaces the one an
 * earlier try of the same delivery made. A reset already used stays used.
 */
export async function issueResetToken(db: Sql, outboxId: number, accountId: number): Promise<string> {
  const token = newToken();
  await db.exec(
    `INSERT INTO password_reset (outbox_id, account_id, token_hash, expires_at)
     VALUES (?, ?, ?, NOW(3) + INTERVAL ${TOKEN_VALID_HOURS} HOUR)
     ON DUPLICATE KEY UPDATE
       token_hash = IF(used_at IS NULL, VALUES(token_hash), token_hash),
       expires_at = IF(used_at IS NULL, VALUES(expires_at), expires_at)`,
    [outboxId, accountId, hashToken(token)],
  );
  return token;
}

const badToken = () => validationFailed([{ path: 'token', message: 'is invalid, already used or expired' }]);

export async function confirmPasswordReset(db: RequestDb, input: z.output<typeof ConfirmResetBody>): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [reset] = await tx.rows<{ outboxId: number; accountId: number }>(
      `SELECT outbox_id AS outboxId, account_id AS accountId FROM password_reset
        WHERE token_hash = ? AND used_at IS NULL AND expires_at > NOW(3) FOR UPDATE`,
      [hashToken(input.token)],
    );
    if (!reset) throw badToken();
    // Spending it is the one decision: this and every other open link of the account end here.
    await spendResetLinks(tx, reset.accountId);
    await tx.exec('UPDATE account SET password_hash = ? WHERE id = ?', [passwordHash, reset.accountId]);
    await revokeOtherSessions(tx, reset.accountId, null);
  });
}
