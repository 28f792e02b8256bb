// The events queue's consumer, one SQS record at a time. An `event` record becomes jobs; a
// `deliver` record sends its jobs, each claimed first, so a record delivered again (a retry, a
// duplicate, a redrive after a crash) sends only what is still pending and nobody gets a message
// twice. A failed record is hidden for an exponentially growing time before SQS hands it back;
// on its last receive its failing jobs are marked failed and SQS moves it to the dead-letter queue.
import type { SQSRecord } from 'aws-lambda';
import { issueResetToken } from '../accounts/password-reset';
import { config } from '../config';
import { bestEffortWrite } from '../db/best-effort';
import { RequestDb, type Sql } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { delayRedelivery, QueueMessage, retryDelaySeconds, sendMessages } from '../events/queue';
import { MAX_RECEIVES } from '../events/redrive';
import { LogScope } from '../log';
import { logError } from '../ops/observability';
import { sendEmail, sendTelegram, TelegramRefusal } from './channels';
import { expandEvent, loadEvent, type OutboxEvent } from './expand';
import { claimJobs, deliverMessages, markFailed, markSent, type JobRow } from './jobs';
import { passwordResetLink } from './links';
import { asEmail, asTelegram, composeMessage } from './messages';

/** A delivery that left jobs for a later try; `retryAfterSeconds` is the longest wait a channel asked for. */
class DeliveryIncomplete extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** When the message comes back: the backoff, or later if a channel asked to wait longer (Telegram's 429 retry_after). */
export function nextTryDelaySeconds(receiveCount: number, retryAfterSeconds: number): number {
  return Math.max(retryDelaySeconds(receiveCount), Math.ceil(retryAfterSeconds));
}

/** Time kept in hand at the end of an invocation: one more send may take this long (channels.ts timeouts). */
export const SEND_MARGIN_MS = 15_000;

/**
 * How long the first record's new jobs may wait for those of the batch's other records, to share
 * their messages: the records expand side by side, so they all come within milliseconds unless
 * one is stuck (a lock wait), which then does not hold the others' notifications for long.
 */
export const GATHER_MS = 1000;

/**
 * The jobs a batch's event records make, queued together: most events have one or two jobs, and
 * one deliver message for ten events' jobs is one SQS call and one delivery where there were ten.
 * Every record takes part once (`send` its jobs or `pass`); the messages go when all have, or
 * GATHER_MS after the first jobs came, and each `send` settles with the call that carried its jobs.
 * Should that call fail, the jobs are pending without a message (the stuck-jobs schedule finds
 * them) and each event record that made them fails too, so its event comes back and queues them again.
 */
export function gatheredDeliveries(
  records: number,
  queue: (messages: QueueMessage[]) => Promise<void> = sendMessages,
): { send(jobIds: number[]): Promise<void>; pass(): void } {
  let waiting = records;
  let round: { jobIds: number[]; settled: { resolve: () => void; reject: (err: unknown) => void }[]; timer: NodeJS.Timeout } | null = null;
  const flush = () => {
    const sending = round;
    round = null;
    if (!sending) return;
    clearTimeout(sending.timer);
    queue(deliverMessages(sending.jobIds)).then(
      () => sending.settled.forEach((s) => s.resolve()),
      (err: unknown) => sending.settled.forEach((s) => s.reject(err)),
    );
  };
  const arrived = () => {
    if (--waiting <= 0) flush();
  };
  return {
    send(jobIds) {
      if (jobIds.length === 0) {
        arrived();
        return Promise.resolve();
      }
      round ??= { jobIds: [], settled: [], timer: setTimeout(flush, GATHER_MS) };
      const joined = round;
      const sent = new Promise<void>((resolve, reject) => joined.settled.push({ resolve, reject }));
      joined.jobIds.push(...jobIds);
      arrived();
      return sent;
    },
    pass: arrived,
  };
}

/**
 * `deadline` (epoch ms): no job is started after it, so that the function's timeout never cuts a
 * send in half. `deliveries`: where an event record's jobs are queued, shared by the records of one
 * batch; each record sends or passes exactly once. `scope`: the record's log lines.
 */
export async function handleRecord(
  record: SQSRecord,
  deadline = Number.POSITIVE_INFINITY,
  deliveries = gatheredDeliveries(1),
  scope = new LogScope(),
): Promise<void> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  const lastTry = receiveCount >= MAX_RECEIVES;
  let message: QueueMessage | undefined;
  let tookPart = false;
  try {
    message = QueueMessage.parse(JSON.parse(record.body));
    const requestDb = new RequestDb(scope);
    if (message.kind === 'event') {
      const pending = await expandEvent(requestDb, message.outboxId);
      tookPart = true;
      // Published only after its commit, so a missing row was removed since (retention): nothing to do.
      if (!pending) {
        deliveries.pass();
        return scope.warn('no such event', { outboxId: message.outboxId });
      }
      await deliveries.send(pending);
    } else {
      tookPart = true;
      deliveries.pass();
      // Every read on the primary: the event or job may be newer than the replica.
      const { failed, deferred, retryAfterSeconds } = await deliverJobs(requestDb.strong, message.jobIds, lastTry, deadline);
      if (failed > 0)
        throw new DeliveryIncomplete(
          `${failed} of ${message.jobIds.length} jobs failed${lastTry ? ' for the last time' : ''}`,
          retryAfterSeconds,
        );
      if (deferred > 0) throw new Error(`${deferred} of ${message.jobIds.length} jobs left for the next try: out of time`);
    }
  } catch (err) {
    if (!tookPart) deliveries.pass();
    // After the last try, visible again at once: SQS then moves it to the dead-letter queue.
    const asked = err instanceof DeliveryIncomplete ? err.retryAfterSeconds : 0;
    await delayRedelivery(record.receiptHandle, lastTry ? 0 : nextTryDelaySeconds(receiveCount, asked)).catch((e: unknown) =>
      scope.error('could not change the message visibility', e, { messageId: record.messageId }),
    );
    if (lastTry && message?.kind !== 'deliver') await giveUp(record, message, err as Error);
    throw err;
  }
}

/**
 * The last try of a message that is not a delivery failed (a failed delivery's jobs are in the
 * admin's jobs list already): the error log says so, and an event's grace starts again, so that
 * the reconciler sends it once more after lostAfterSeconds: its notifications are late rather
 * than lost, and a poison event comes round once per grace, not in a loop.
 */
async function giveUp(record: SQSRecord, message: QueueMessage | undefined, err: Error): Promise<void> {
  const what = message?.kind === 'event' ? `event ${message.outboxId}` : 'an unreadable message';
  await logError(record.messageId, 'SQS events', `${what} failed ${MAX_RECEIVES} times: ${err.message}`.slice(0, 1000), err.stack);
  if (message?.kind === 'event') {
    await bestEffortWrite(
      `restarting the grace of outbox ${message.outboxId}`,
      'UPDATE outbox SET published_at = NOW(3) WHERE id = ? AND processed_at IS NULL',
      [message.outboxId],
    );
  }
}

/**
 * Jobs claimed (and then marked) per round, sent side by side. A round is the unit the deadline
 * and a crash cut at.
 */
export const CLAIM_ROUND = 4;
/**
 * Sends under way at once in this container, across its deliveries: about twice as many as the
 * SMTP pool has connections, so that none idles while a round claims or marks. A round holds as
 * many as it has jobs, so that single-recipient deliveries (most events) fill the pool too. More
 * would only wait in the pool's queue, claimed and running, until the function's timeout cut them
 * off; a delivery that cannot start a round before its deadline comes back later instead.
 */
const sendSlots = slots(Math.max(CLAIM_ROUND, 2 * config.SMTP_MAX_CONNECTIONS));

/**
 * Sends each job that is still pending, a round at a time; a failure of one never stops the rest.
 * A send that can never succeed (a 4xx of the Bot API but 429) fails its job at once instead of
 * using up the tries (`refused`); a chat that refuses the bot (403) is unlinked too.
 */
async function deliverJobs(
  db: Sql,
  jobIds: number[],
  lastTry: boolean,
  deadline = Number.POSITIVE_INFINITY,
): Promise<{ sent: number; skipped: number; failed: number; refused: number; deferred: number; retryAfterSeconds: number }> {
  const counts = { sent: 0, skipped: 0, failed: 0, refused: 0, deferred: 0, retryAfterSeconds: 0 };
  // The facts of a message (the task, the names) are the same for every recipient of one event.
  const delivery: Delivery = { facts: memoizedReads(db), events: new Map(), lastTry, counts };
  for (let i = 0; i < jobIds.length; i += CLAIM_ROUND) {
    const round = jobIds.slice(i, i + CLAIM_ROUND);
    const release = await sendSlots.take(round.length);
    try {
      if (Date.now() > deadline) {
        counts.deferred = jobIds.length - i;
        break;
      }
      await deliverRound(db, round, delivery);
    } finally {
      release();
    }
  }
  return counts;
}

interface Delivery {
  facts: Sql;
  events: Map<number, Promise<OutboxEvent | null>>;
  lastTry: boolean;
  counts: { sent: number; skipped: number; failed: number; refused: number; retryAfterSeconds: number };
}

/** Claims the round's pending jobs in one statement, sends them side by side, and marks the sent ones in one. */
async function deliverRound(db: Sql, round: number[], d: Delivery): Promise<void> {
  const jobs = await claimJobs(db, round);
  d.counts.skipped += round.length - jobs.length;
  const sent: number[] = [];
  await Promise.all(
    jobs.map(async (job) => {
      if (!d.events.has(job.outboxId)) d.events.set(job.outboxId, loadEvent(db, job.outboxId));
      try {
        await send(db, d.facts, job, await d.events.get(job.outboxId)!);
        sent.push(job.id);
      } catch (err) {
        const reason = (err as Error).message || String(err);
        db.log.warn('notification job failed', {
          jobId: job.id,
          eventType: job.eventType,
          channel: job.channel,
          attempt: job.attempts,
          reason,
        });
        if (err instanceof TelegramRefusal && err.permanent) {
          if (err.chatLost) await unlinkChat(job);
          await markFailed(db, job.id, reason, true);
          d.counts.refused++;
          return;
        }
        if (err instanceof TelegramRefusal && err.retryAfterSeconds)
          d.counts.retryAfterSeconds = Math.max(d.counts.retryAfterSeconds, err.retryAfterSeconds);
        await markFailed(db, job.id, reason, d.lastTry);
        d.counts.failed++;
      }
    }),
  );
  await markSent(db, sent);
  d.counts.sent += sent.length;
}

/** At most `count` units taken at a time; `take(weight)` resolves with the release once that many are free. */
function slots(count: number): { take(weight: number): Promise<() => void> } {
  let free = count;
  const waiting: { weight: number; start: () => void }[] = [];
  // First come, first served: a heavy taker at the head is not overtaken by lighter ones behind it.
  const admit = () => {
    while (waiting.length > 0 && waiting[0]!.weight <= free) {
      const next = waiting.shift()!;
      free -= next.weight;
      next.start();
    }
  };
  return {
    async take(weight) {
      if (waiting.length === 0 && weight <= free) free -= weight;
      else await new Promise<void>((start) => waiting.push({ weight, start }));
      return () => {
        free += weight;
        admit();
      };
    },
  };
}

/** Reads through `db`, each distinct query asked once (for the reads of one delivery, which change nothing). */
function memoizedReads(db: Sql): Sql {
  const seen = new Map<string, Promise<unknown[]>>();
  return {
    rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const key = JSON.stringify([sql, params]);
      let rows = seen.get(key);
      if (!rows) {
        rows = db.rows(sql, params);
        seen.set(key, rows);
        rows.catch(() => seen.delete(key));
      }
      return rows as Promise<T[]>;
    },
    exec: (sql, params) => db.exec(sql, params),
    log: db.log,
  };
}

/**
 * The chat no longer takes the bot's messages: it is unlinked, and the person is told by e-mail.
 * Conditional on the chat still being the one the job was for, so many refused jobs of one chat
 * (or a chat linked anew since) cause one e-mail and unlink nothing else.
 */
async function unlinkChat(job: JobRow): Promise<void> {
  await new RequestDb().transaction(async (tx) => {
    const res = await tx.exec('UPDATE account SET telegram_chat_id = NULL WHERE id = ? AND telegram_chat_id = ?', [
      job.accountId,
      job.destination,
    ]);
    if (res.affectedRows === 1) await enqueue(tx, { type: 'telegram_unlinked', accountId: job.accountId });
  });
}

async function send(db: Sql, facts: Sql, job: JobRow, event: OutboxEvent | null): Promise<void> {
  if (!event) throw new Error(`outbox event ${job.outboxId} no longer exists`);
  const resetLink =
    event.type === 'password_reset_requested' ? passwordResetLink(await issueResetToken(db, event.id, job.accountId)) : undefined;
  const message = await composeMessage(facts, event, job.accountId, resetLink);
  if (job.channel === 'email') await sendEmail(job.destination, asEmail(message, event.type !== 'password_reset_requested'));
  else await sendTelegram(job.destination, asTelegram(message));
}
