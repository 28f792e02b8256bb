// Outbox rows onto the events queue: right after the commit that wrote them, and on a schedule for
// any left behind (a failed send, a crash between commit and send). A row may be sent twice (sent,
// then the mark failed, or two publishers at once): consumers are idempotent.
import { config } from '../config';
import { dbNodes } from '../db/nodes';
import type { Sql } from '../db/request-db';
import { lostAfterSeconds, queueConfigured, sendMessages, type Sender } from './queue';

/** Rows younger than this are left to the publisher of the request that wrote them. */
const LEFT_BEHIND_SECONDS = 30;
const PAGE = 200;

/** Sends the rows and marks them published; the mark is conditional, so concurrent publishers agree. */
export async function publish(outboxIds: number[], sender: Sender = 'background'): Promise<void> {
  if (outboxIds.length === 0 || !queueConfigured()) return;
  await sendMessages(outboxIds.map((outboxId) => ({ kind: 'event', outboxId })), sender);
  // Not through the request's database: this runs after its transaction, and must not join it.
  await dbNodes().primary.pool.query(
    'UPDATE outbox SET published_at = NOW(3) WHERE id IN (?) AND published_at IS NULL', [outboxIds]);
}

/**
 * A committed request's events, published with one try that the answer waits for at most
 * PUBLISH_TIMEOUT_MS: a slow or frozen queue never turns a committed write into an error or a
 * timeout. A send still under way at the bound goes on without the answer (in Lambda, when the
 * container next runs); one that fails leaves its rows unpublished for the scheduled publisher.
 * (A bounded wait rather than none: Lambda freezes a function once it has answered, so most sends
 * should finish before.)
 */
export async function publishCommitted(outboxIds: number[]): Promise<void> {
  const attempt = publish(outboxIds, 'request')
    .catch((err) => console.error(`outbox ${outboxIds.join(', ')}: publish failed, left to the schedule: ${(err as Error).message}`));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([attempt, new Promise<void>((resolve) => (timer = setTimeout(resolve, config.PUBLISH_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

/**
 * The outbox's reconciler, on a schedule: publishes every event that is not processed yet (has no
 * jobs) and is overdue, that is unpublished after LEFT_BEHIND_SECONDS (its request's publish
 * failed), or published over lostAfterSeconds() ago (its message was lost: a queue crash, a
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
        ORDER BY id LIMIT ${PAGE}`, [after]);
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
