// Outbox rows onto the events queue: right after the commit that wrote them, and on a schedule for
// any left behind (a failed send, a crash between commit and send). A row may be sent twice (sent,
// then the mark failed, or two publishers at once): consumers are idempotent.
import { dbNodes } from '../db/nodes';
import type { Sql } from '../db/request-db';
import { queueConfigured, sendMessages } from './queue';

/** Rows younger than this are left to the publisher of the request that wrote them. */
const LEFT_BEHIND_SECONDS = 30;
const PAGE = 200;

/** Sends the rows and marks them published; the mark is conditional, so concurrent publishers agree. */
export async function publish(outboxIds: number[]): Promise<void> {
  if (outboxIds.length === 0 || !queueConfigured()) return;
  await sendMessages(outboxIds.map((outboxId) => ({ kind: 'event', outboxId })));
  // Not through the request's database: this runs after its transaction, and must not join it.
  await dbNodes().primary.pool.query(
    'UPDATE outbox SET published_at = NOW(3) WHERE id IN (?) AND published_at IS NULL', [outboxIds]);
}

/** Publishes every row still unpublished after LEFT_BEHIND_SECONDS; returns how many. */
export async function publishLeftBehind(db: Sql): Promise<number> {
  let published = 0;
  let after = 0;
  for (;;) {
    const rows = await db.rows<{ id: number }>(
      `SELECT id FROM outbox WHERE published_at IS NULL AND id > ? AND created_at < NOW(3) - INTERVAL ${LEFT_BEHIND_SECONDS} SECOND
        ORDER BY id LIMIT ${PAGE}`, [after]);
    if (rows.length === 0) return published;
    const ids = rows.map((r) => Number(r.id));
    await publish(ids);
    published += ids.length;
    after = ids[ids.length - 1]!;
  }
}
