// Idempotency-Key for money POSTs: the key row is written in the same transaction as the
// action, so a repeat either waits for the first and returns its answer, or finds nothing.
import { createHash } from 'node:crypto';
import { bestEffortWrite } from '../db/best-effort';
import type { RequestDb } from '../db/request-db';
import { AppError, conflict, validationFailed } from '../errors';
import { errorReply, type Reply } from './reply';

const KEY_PATTERN = /^[\x20-\x7e]{1,100}$/;
const DUPLICATE = 1062;

export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw validationFailed([{ path: 'Idempotency-Key', message: 'must be 1..100 printable characters' }]);
  }
  return key;
}

export async function withIdempotency(
  db: RequestDb,
  accountId: number,
  key: string,
  request: string,
  run: () => Promise<Reply>,
): Promise<Reply> {
  const fingerprint = createHash('sha256').update(request).digest();
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        // The key row commits with the action or not at all; a repeat waits here for the first.
        await tx.exec('INSERT INTO idempotency_key (account_id, idem_key, fingerprint) VALUES (?, ?, ?)', [accountId, key, fingerprint]);
        const reply = await run();
        await tx.exec('UPDATE idempotency_key SET status = ?, response = ? WHERE account_id = ? AND idem_key = ?', [
          reply.status,
          JSON.stringify(reply),
          accountId,
          key,
        ]);
        return reply;
      });
    } catch (err) {
      // The key exists (the common case, a first use, costs no read): another request with it
      // committed first and its answer is ours, or it is a day old and forgotten, and we try again.
      if ((err as { errno?: number }).errno === DUPLICATE && attempt < 3) {
        const stored = await storedReply(db, accountId, key, fingerprint);
        if (stored) return stored;
        continue;
      }
      // A refused action changed nothing; its answer is still the first answer to this key. A rate
      // limit is not an answer about the action: a retry after Retry-After must get to try it.
      if (err instanceof AppError && err.code !== 'unavailable' && err.code !== 'rate_limited') {
        const reply = errorReply(err);
        await bestEffortWrite(
          "a refusal's idempotency record",
          'INSERT IGNORE INTO idempotency_key (account_id, idem_key, fingerprint, status, response) VALUES (?, ?, ?, ?, ?)',
          [accountId, key, fingerprint, reply.status, JSON.stringify(reply)],
        );
      }
      throw err;
    }
  }
}

/** The stored first answer to this key, if any; a key older than 24 hours is forgotten. */
async function storedReply(db: RequestDb, accountId: number, key: string, fingerprint: Buffer): Promise<Reply | null> {
  const [row] = await db.strongRows<{ fingerprint: Buffer; response: string | null; fresh: number }>(
    `SELECT fingerprint, response, created_at > NOW(3) - INTERVAL 1 DAY AS fresh
       FROM idempotency_key WHERE account_id = ? AND idem_key = ?`,
    [accountId, key],
  );
  if (!row) return null;
  if (!row.fresh) {
    await db.exec('DELETE FROM idempotency_key WHERE account_id = ? AND idem_key = ? AND created_at <= NOW(3) - INTERVAL 1 DAY', [
      accountId,
      key,
    ]);
    return null;
  }
  if (!row.fingerprint.equals(fingerprint)) {
    throw conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
  }
  return row.response === null ? null : (JSON.parse(row.response) as Reply);
}
