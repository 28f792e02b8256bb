// Idempotency-Key for state-changing POSTs. The layer only reads the header and hands the request's
// database the claim: the first transaction the domain opens carries the key (shared/db/request-db.ts),
// so a repeat waits for the first request and gets its transaction's result, its answer then built
// from it exactly as the first time. A refusal is kept as the domain's error, never as a body.
import { createHash } from 'node:crypto';
import { recordRefusal } from '../db/idempotency-keys';
import type { RequestDb } from '../db/request-db';
import { AppError, validationFailed } from '../errors';

const KEY_PATTERN = /^[\x20-\x7e]{1,100}$/;

export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw validationFailed([{ path: 'Idempotency-Key', message: 'must be 1..100 printable characters' }]);
  }
  return key;
}

export async function withIdempotency<T>(
  db: RequestDb,
  accountId: number,
  key: string,
  request: string,
  run: () => Promise<T>,
): Promise<T> {
  const claim = { accountId, key, fingerprint: createHash('sha256').update(request).digest() };
  db.claimIdempotencyKey(claim);
  try {
    return await run();
  } catch (err) {
    // Refused inside its transaction or before it, the action changed nothing; the refusal is still
    // the first answer to this key (a repeat whose key finds it gets it again). A rate limit or an
    // outage is not an answer about the action: a retry after Retry-After must get to try it.
    // A refusal answered from the key is recorded there already.
    if (err instanceof AppError && err.code !== 'unavailable' && err.code !== 'rate_limited' && !db.answeredFromKey)
      await recordRefusal(claim, err);
    throw err;
  }
}
