// Notification jobs: one message to one recipient on one channel. Their state changes are
// conditional updates, so concurrent or repeated deliveries of the same job agree on who sends it.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { RequestDb, Sql } from '../db/request-db';
import { lostAfterSeconds, sendMessages, type QueueMessage } from '../events/queue';
import { invalidState, notFound } from '../errors';
import { idBefore, PageQuery, toPage, type Page } from '../pagination';

type Channel = 'email' | 'telegram';
type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobRow {
  id: number;
  outboxId: number;
  accountId: number;
  channel: Channel;
  eventType: string;
  destination: string;
  attempts: number;
}

/** Job ids per deliver message: small enough that one message is sent well within the consumer's timeout. */
const DELIVER_CHUNK = 25;
/** A job running this long belongs to a consumer that died (the consumer's timeout is far shorter). */
const STUCK_RUNNING_MINUTES = 5;

export function deliverMessages(jobIds: number[]): QueueMessage[] {
  const messages: QueueMessage[] = [];
  for (let i = 0; i < jobIds.length; i += DELIVER_CHUNK) messages.push({ kind: 'deliver', jobIds: jobIds.slice(i, i + DELIVER_CHUNK) });
  return messages;
}

/**
 * Takes the jobs still pending for this delivery, in one conditional UPDATE: a job that is done,
 * failed, or claimed by another delivery is left out. `claim` tells this delivery's rows apart.
 */
export async function claimJobs(db: Sql, jobIds: number[]): Promise<JobRow[]> {
  if (jobIds.length === 0) return [];
  const claim = randomBytes(8).toString('hex');
  const res = await db.exec(
    `UPDATE notification_job SET status = 'running', attempts = attempts + 1, started_at = NOW(3), claim = ?
      WHERE id IN (?) AND status = 'pending'`,
    [claim, jobIds],
  );
  if (res.affectedRows === 0) return [];
  const jobs = await db.rows<JobRow>(
    `SELECT id, outbox_id AS outboxId, account_id AS accountId, channel, event_type AS eventType, destination, attempts
       FROM notification_job WHERE id IN (?) AND claim = ? AND status = 'running' ORDER BY id`,
    [jobIds, claim],
  );
  return jobs.map((job) => ({ ...job, id: Number(job.id), outboxId: Number(job.outboxId) }));
}

export async function markSent(db: Sql, jobIds: number[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.exec("UPDATE notification_job SET status = 'done', sent_at = NOW(3), last_error = NULL WHERE id IN (?) AND status = 'running'", [
    jobIds,
  ]);
}

/** Back to pending for the next try, or failed after the last one. */
export async function markFailed(db: Sql, jobId: number, error: string, final: boolean): Promise<void> {
  await db.exec("UPDATE notification_job SET status = ?, last_error = ? WHERE id = ? AND status = 'running'", [
    final ? 'failed' : 'pending',
    error.slice(0, 1000),
    jobId,
  ]);
}

// The admin's view.

export const JobsQuery = z.strictObject({
  ...PageQuery,
  // The site sends no status for "all"; an empty one means the same.
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['pending', 'running', 'done', 'failed']).optional()),
});

export interface JobView {
  id: number;
  type: string;
  status: JobStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

interface JobListRow {
  id: number;
  eventType: string;
  channel: Channel;
  status: JobStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const VIEW_COLUMNS = `id, event_type AS eventType, channel, status, attempts, last_error AS lastError,
  created_at AS createdAt, updated_at AS updatedAt`;

function jobView(r: JobListRow): JobView {
  return {
    id: Number(r.id),
    type: `${r.eventType}:${r.channel}`,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Newest first, optionally one status. */
export async function listJobs(db: Sql, query: z.output<typeof JobsQuery>): Promise<Page<JobView>> {
  const before = idBefore(query.cursor);
  const rows = await db.rows<JobListRow>(
    `SELECT ${VIEW_COLUMNS} FROM notification_job
      WHERE ${query.status ? 'status = ? AND ' : ''}id < ? ORDER BY id DESC LIMIT ?`,
    [...(query.status ? [query.status] : []), before, query.limit + 1],
  );
  return toPage(rows, query.limit, (r) => [Number(r.id)], jobView);
}

/** A failed job goes back to pending and onto the queue with a fresh set of tries. */
export async function retryJob(db: RequestDb, jobId: number): Promise<JobView> {
  return db.transaction(async (tx) => {
    const res = await tx.exec("UPDATE notification_job SET status = 'pending' WHERE id = ? AND status = 'failed'", [jobId]);
    const [row] = await tx.rows<JobListRow>(`SELECT ${VIEW_COLUMNS} FROM notification_job WHERE id = ?`, [jobId]);
    if (!row) throw notFound('Job');
    if (res.affectedRows === 0) throw invalidState(`The job is ${row.status}; only a failed job can be retried`);
    // Should the send fail, the job is pending without a message: the stuck-jobs schedule finds it.
    tx.onCommit(() =>
      sendMessages(deliverMessages([jobId]), 'request').catch((err: unknown) => tx.log.error('re-enqueue failed', err, { jobId })),
    );
    return jobView(row);
  });
}

/**
 * Jobs whose consumer died while sending (running too long) go back to pending, and they and every
 * pending job that lost its message (unchanged for lostAfterSeconds) go back onto the queue. A job that died mid-send may have been
 * sent already: this is where at-least-once may send twice.
 */
export async function requeueStuckJobs(db: RequestDb): Promise<{ requeued: number }> {
  const stuck = (
    await db.strongRows<{ id: number }>(
      `SELECT id FROM notification_job WHERE status = 'running' AND started_at < NOW(3) - INTERVAL ${STUCK_RUNNING_MINUTES} MINUTE
      ORDER BY id LIMIT 5000`,
    )
  ).map((r) => Number(r.id));
  if (stuck.length > 0) {
    // Conditional again: one that finished since the select stays finished (its message then finds nothing to do).
    await db.exec(
      `UPDATE notification_job SET status = 'pending', last_error = 'the consumer stopped while sending'
        WHERE id IN (?) AND status = 'running' AND started_at < NOW(3) - INTERVAL ${STUCK_RUNNING_MINUTES} MINUTE`,
      [stuck],
    );
  }
  const lost = (
    await db.strongRows<{ id: number }>(
      `SELECT id FROM notification_job WHERE status = 'pending' AND updated_at < NOW(3) - INTERVAL ${lostAfterSeconds()} SECOND
      ORDER BY id LIMIT 5000`,
    )
  ).map((r) => Number(r.id));
  const ids = [...new Set([...stuck, ...lost])];
  if (ids.length === 0) return { requeued: 0 };
  await sendMessages(deliverMessages(ids));
  // Their grace starts again: a slow queue is not asked for the same jobs every minute.
  await db.exec("UPDATE notification_job SET updated_at = NOW(3) WHERE id IN (?) AND status = 'pending'", [ids]);
  return { requeued: ids.length };
}
