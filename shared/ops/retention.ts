// Housekeeping on the primary, in small batches so that no delete holds locks for long.
import type { Sql } from '../db/request-db';

const BATCH = 5000;

/** Deletes `WHERE condition` in batches until nothing is left; returns how many rows went. */
async function deleteInBatches(db: Sql, table: string, condition: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const res = await db.exec(`DELETE FROM ${table} WHERE ${condition} LIMIT ${BATCH}`);
    deleted += res.affectedRows;
    if (res.affectedRows < BATCH) return deleted;
  }
}

/** Sessions idle for more than 30 days are dead already (sessionByToken ignores them): remove them. */
export async function cleanUpSessions(db: Sql): Promise<{ sessions: number }> {
  return { sessions: await deleteInBatches(db, 'session', 'last_active_at < NOW(3) - INTERVAL 30 DAY') };
}

/**
 * How long operational rows are kept: request timings 30 days (the stats window is at most 30),
 * errors 90 days, idempotency keys 24 hours (the contract's window), password resets a day past
 * their expiry, and sent notifications with their events 30 days.
 */
export async function applyRetention(db: Sql): Promise<Record<string, number>> {
  return {
    requestStats: await deleteInBatches(db, 'request_stat_bucket', 'hour_start < NOW() - INTERVAL 30 DAY'),
    errors: await deleteInBatches(db, 'error_log', 'created_at < NOW(3) - INTERVAL 90 DAY'),
    // Failed authentications count for their minute only.
    authFailures: await deleteInBatches(db, 'auth_failure', 'minute < UNIX_TIMESTAMP() DIV 60 - 1'),
    idempotencyKeys: await deleteInBatches(db, 'idempotency_key', 'created_at < NOW(3) - INTERVAL 24 HOUR'),
    passwordResets: await deleteInBatches(db, 'password_reset', 'expires_at < NOW(3) - INTERVAL 1 DAY'),
    notificationJobs: await deleteInBatches(db, 'notification_job', "status = 'done' AND updated_at < NOW(3) - INTERVAL 30 DAY"),
    // An event is kept while a job still needs it to render its message, or it is not yet processed.
    events: await deleteInBatches(
      db,
      'outbox',
      `processed_at < NOW(3) - INTERVAL 30 DAY
       AND NOT EXISTS (SELECT 1 FROM notification_job j WHERE j.outbox_id = outbox.id)
       AND NOT EXISTS (SELECT 1 FROM password_reset r WHERE r.outbox_id = outbox.id)`,
    ),
  };
}
