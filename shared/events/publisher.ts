// Outbox rows onto the events queue: by the relay moments after the commit that wrote them, and by
// the reconciler for any left behind (a relay that died, a message the queue lost). A row may be
// sent twice (the reconciler and a slow consumer): consumers are idempotent.
import { config } from '../config';
import { dbNodes } from '../db/nodes';
import { RequestDb, type Sql } from '../db/request-db';
import { log } from '../log';
import { lostAfterSeconds, queueConfigured, sendMessages } from './queue';

/** Rows younger than this are left to the relay. */
const LEFT_BEHIND_SECONDS = 30;
const PAGE = 200;

/** Sends the rows and marks them published; the mark is conditional, so concurrent publishers agree. */
async function publish(outboxIds: number[]): Promise<void> {
  if (outboxIds.length === 0 || !queueConfigured()) return;
  await sendMessages(outboxIds.map((outboxId) => ({ kind: 'event', outboxId })));
  // Straight to the primary: the mark is its own statement, never part of a caller's transaction.
  await dbNodes().primary.pool.query('UPDATE outbox SET published_at = NOW(3) WHERE id IN (?) AND published_at IS NULL', [outboxIds]);
}

/** Rows one relay round claims and sends (ten SendMessageBatch calls side by side). */
const RELAY_ROUND = 100;

/**
 * Claims (marks published) up to RELAY_ROUND rows nobody has published yet, oldest first, in `tx`,
 * and returns their ids. Rows another transaction holds are skipped rather than waited for: a
 * create in flight has its new row locked until it commits (the next round takes it), and a
 * concurrent relay its claimed ones. In a read-committed transaction (the relay's) the range read
 * locks no gap either, so no create's outbox insert waits for a claim; under REPEATABLE READ the
 * claim's UPDATE … ORDER BY id LIMIT waited for every create in flight, and every new outbox row
 * (all go into the same gap) waited for it, for up to half a second under load.
 */
export async function claimUnpublished(tx: Sql): Promise<number[]> {
  const rows = await tx.rows<{ id: number }>(
    `SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ${RELAY_ROUND} FOR UPDATE SKIP LOCKED`,
  );
  const ids = rows.map((r) => Number(r.id));
  if (ids.length > 0) await tx.exec('UPDATE outbox SET published_at = NOW(3) WHERE id IN (?)', [ids]);
  return ids;
}

/**
 * The outbox relay: while `keepGoing()`, claims the rows nobody has published yet, sends them and
 * polls again (at once after a full round, else after RELAY_POLL_MS). Requests never publish:
 * their answer waits for their commit only, and no queue trouble reaches them. A claim is the
 * mark: a failed send gives its rows back for the next round; a relay that died between claim and
 * send leaves rows published but unprocessed, which the reconciler below sends again.
 */
export async function relayOutbox(keepGoing: () => boolean): Promise<number> {
  const { primary } = dbNodes();
  let sent = 0;
  let lastFailure = '';
  while (keepGoing()) {
    let claimed = 0;
    try {
      const ids = await new RequestDb().transaction(claimUnpublished, { readCommitted: true });
      claimed = ids.length;
      if (claimed > 0) {
        await sendMessages(ids.map((outboxId) => ({ kind: 'event', outboxId }))).catch(async (err: unknown) => {
          await primary.pool.query('UPDATE outbox SET published_at = NULL WHERE id IN (?) AND processed_at IS NULL', [ids]);
          throw err;
        });
        sent += claimed;
      }
      lastFailure = '';
    } catch (err) {
      // The primary down or the queue refusing: the rows wait in the outbox; try again after a
      // pause, saying so once per kind of failure rather than ten times a second.
      const failure = (err as Error).message;
      if (failure !== lastFailure) log.warn('outbox relay round failed; retrying', { reason: failure });
      lastFailure = failure;
      claimed = 0;
    }
    if (claimed < RELAY_ROUND) await new Promise((resolve) => setTimeout(resolve, config.RELAY_POLL_MS));
  }
  return sent;
}

/**
 * The outbox's reconciler, on a schedule: publishes every event that is not processed yet (has no
 * jobs) and is overdue, that is unpublished after LEFT_BEHIND_SECONDS (the relay was not
 * running), or published over lostAfterSeconds() ago (its message was lost: a queue crash, a
 * local queue restarted, an event given up on). Returns how many of each it sent.
 */
export async function publishLeftBehind(db: Sql): Promise<{ published: number; republished: number }> {
  const counts = { published: 0, republished: 0 };
  let after = 0;
  for (;;) {
    const rows = await db.rows<{ id: number; published: number }>(
      `SELECT id, published_at IS NOT NULL AS published FROM outbox
        WHERE processed_at IS NULL AND id > ?
          AND (published_at IS NULL AND created_at < NOW(3) - INTERVAL ${LEFT_BEHIND_SECONDS} SECOND
            OR published_at < NOW(3) - INTERVAL ${lostAfterSeconds()} SECOND)
        ORDER BY id LIMIT ${PAGE}`,
      [after],
    );
    if (rows.length === 0) return counts;
    const ids = rows.map((r) => Number(r.id));
    const again = rows.filter((r) => Number(r.published) === 1).map((r) => Number(r.id));
    await publish(ids);
    // A re-published event's grace starts again, so a slow consumer is not sent it every minute.
    if (again.length > 0) await db.exec('UPDATE outbox SET published_at = NOW(3) WHERE id IN (?) AND processed_at IS NULL', [again]);
    counts.republished += again.length;
    counts.published += ids.length - again.length;
    after = ids[ids.length - 1]!;
  }
}
