// The rows behind Idempotency-Key: one per account and key, kept a day. The first transaction a
// keyed request opens (shared/db/request-db.ts) inserts the row first and stores its result in it
// last, so the key commits with the action or not at all.
import { conflict, type AppError } from '../errors';
import { bestEffortWrite } from './best-effort';
import { decodeOutcome, encodeRefusal, encodeResult, type Outcome } from './idempotency-outcome';

export interface IdempotencyClaim {
  accountId: number;
  key: string;
  /** sha256 of the route, path and body: the same key with another request is refused. */
  fingerprint: Buffer;
}

/** A transaction's statements, or a connection's outside one (request-db's `Sql`, which sits above this module). */
interface Statements {
  rows<T>(sql: string, params: unknown[]): Promise<T[]>;
  exec(sql: string, params: unknown[]): Promise<unknown>;
}

const DUPLICATE = 1062;
const WHERE_KEY = 'WHERE account_id = ? AND idem_key = ?';

/**
 * The key row, the claimed transaction's first statement; false when the key is taken. A repeat
 * arriving while the first request runs waits here on its uncommitted row, and fails with 1062
 * once that commits (or inserts the row itself, should the first roll back).
 */
export async function insertKey(tx: Statements, claim: IdempotencyClaim): Promise<boolean> {
  try {
    await tx.exec('INSERT INTO idempotency_key (account_id, idem_key, fingerprint) VALUES (?, ?, ?)', [
      claim.accountId,
      claim.key,
      claim.fingerprint,
    ]);
    return true;
  } catch (err) {
    if ((err as { errno?: number }).errno === DUPLICATE) return false;
    throw err;
  }
}

/** The claimed transaction's last step before it commits: what it returned, for the repeats. */
export async function storeResult(tx: Statements, claim: IdempotencyClaim, result: unknown): Promise<void> {
  await tx.exec(`UPDATE idempotency_key SET outcome = ? ${WHERE_KEY}`, [encodeResult(result), claim.accountId, claim.key]);
}

/**
 * The first request's result under this key, read on the primary outside any transaction; its
 * refusal is answered as such, to be thrown again. Null when the key is over a day old (deleted
 * now) or gone: try again.
 */
export async function storedResult(primary: Statements, claim: IdempotencyClaim): Promise<Outcome | null> {
  const [row] = await primary.rows<{ fingerprint: Buffer; outcome: Buffer | null; fresh: number }>(
    `SELECT fingerprint, outcome, created_at > NOW(3) - INTERVAL 1 DAY AS fresh FROM idempotency_key ${WHERE_KEY}`,
    [claim.accountId, claim.key],
  );
  if (!row) return null;
  if (!row.fresh) {
    await primary.exec(`DELETE FROM idempotency_key ${WHERE_KEY} AND created_at <= NOW(3) - INTERVAL 1 DAY`, [claim.accountId, claim.key]);
    return null;
  }
  if (!row.fingerprint.equals(claim.fingerprint)) {
    throw conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
  }
  // Only a row from before migration 0012 lacks it: its answer is lost, and acting again could pay twice.
  if (row.outcome === null) throw conflict('idempotency_key_reused', 'This Idempotency-Key was used before; its answer was not kept');
  return decodeOutcome(row.outcome);
}

/**
 * A refused action changed nothing and rolled its key row back; the refusal is still the first
 * answer to the key. Best effort: a lost record only lets a repeat try the action again.
 */
export function recordRefusal(claim: IdempotencyClaim, err: AppError): Promise<void> {
  return bestEffortWrite(
    "a refusal's idempotency record",
    'INSERT IGNORE INTO idempotency_key (account_id, idem_key, fingerprint, outcome) VALUES (?, ?, ?, ?)',
    [claim.accountId, claim.key, claim.fingerprint, encodeRefusal(err)],
  );
}
