// The event pipeline under faults of its queue: a frozen queue never costs a committed write, and
// messages the queue loses (a crash, a restart of the in-memory local queue) are found and sent
// again by the reconcilers, once each.
import { describe, expect, it } from 'vitest';
import { freezeService, startService, stopService, thawService } from '../helpers/control';
import { eventually, query } from '../helpers/db';
import { invoke } from '../helpers/invoke';
import { topUp } from '../helpers/money';
import { allDelivered, jobsOf, mailsTo, outboxIdOf } from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { register, type Person } from '../helpers/users';

/** Exactly one e-mail to `person` whose subject contains `subject`, once everything behind `outboxId` is done. */
async function mailedOnce(person: Person, outboxId: number, subject: string): Promise<void> {
  await allDelivered(outboxId, 1, 30_000);
  await eventually(async () => expect((await mailsTo(person.email)).filter((m) => m.subject.includes(subject))).toHaveLength(1));
}

describe('a frozen queue', () => {
  it('answers every write with its normal status, and every event is delivered once the queue runs again', async () => {
    const customers = await Promise.all(Array.from({ length: 4 }, () => register('customer')));
    await freezeService('sqs');
    let tasks: { id: number }[];
    try {
      // Top-ups (the Robokassa callback) and task creates, side by side, while SQS accepts
      // connections and answers nothing: no request waits for the queue, none fails.
      tasks = await Promise.all(
        customers.map(async (customer) => {
          await topUp(customer, '50.00');
          return postTask(customer, { reward: '10.00', title: 'Во время заморозки' });
        }),
      );
    } finally {
      await thawService('sqs');
    }
    const events = await Promise.all(
      customers.flatMap((customer, i) => [
        outboxIdOf('balance_topped_up', 'accountId', customer.id),
        outboxIdOf('task_created', 'taskId', tasks[i]!.id),
      ]),
    );
    // The requests never waited for the queue; the outbox relay sends their events once it answers.
    for (const [i, customer] of customers.entries()) {
      await mailedOnce(customer, events[2 * i]!, 'Баланс пополнен на 50.00 ₽');
      await mailedOnce(customer, events[2 * i + 1]!, 'Баланс списан за задание «Во время заморозки»');
    }
  });
});

describe('messages the queue loses', () => {
  it('an event published but never turned into jobs is published again by the reconciler, and mailed once', async () => {
    const customers = await Promise.all(Array.from({ length: 3 }, () => register('customer')));
    // No consumer takes anything while the events wait in the queue; then the queue dies with them.
    await freezeService('relay');
    let events: number[];
    try {
      for (const customer of customers) await topUp(customer, '33.00');
      events = await Promise.all(customers.map((c) => outboxIdOf('balance_topped_up', 'accountId', c.id)));
      await eventually(async () =>
        expect(
          await query('primary', 'SELECT id FROM outbox WHERE id IN (?) AND published_at IS NOT NULL AND processed_at IS NULL', [events]),
        ).toHaveLength(3),
      );
      await stopService('sqs');
      await startService('sqs');
    } finally {
      await thawService('relay');
    }
    for (const outboxId of events) expect(await jobsOf(outboxId)).toEqual([]);
    // Published longer ago than the grace the reconciler gives a message.
    await query('primary', 'UPDATE outbox SET published_at = NOW(3) - INTERVAL 5 MINUTE WHERE id IN (?) AND processed_at IS NULL', [
      events,
    ]);
    // A batch the relay had received just before it froze may still reach the consumer on thaw;
    // every event the queue lost is the reconciler's, and each is mailed once either way.
    expect((await invoke('outboxPublisher')).republished).toBeGreaterThanOrEqual(1);
    for (const [i, customer] of customers.entries()) await mailedOnce(customer, events[i]!, 'Баланс пополнен на 33.00 ₽');
    // Processed now, so a later run sends nothing again.
    await query('primary', 'UPDATE outbox SET published_at = NOW(3) - INTERVAL 5 MINUTE WHERE id IN (?)', [events]);
    await invoke('outboxPublisher');
    for (const [i, customer] of customers.entries()) await mailedOnce(customer, events[i]!, 'Баланс пополнен на 33.00 ₽');
  });

  it('a pending job whose message was lost is queued again by the stuck-jobs schedule, and mailed once', async () => {
    const customer = await register('customer');
    let outboxId = 0;
    await freezeService('relay');
    try {
      await topUp(customer, '44.00');
      outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
      // The consumer, as SQS would call it, makes the job and queues its delivery; then the queue dies with it.
      const record = {
        messageId: `lost-${outboxId}`,
        receiptHandle: 'lost',
        body: JSON.stringify({ kind: 'event', outboxId }),
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        eventSource: 'aws:sqs',
      };
      expect(await invoke('events', { Records: [record] })).toEqual({ batchItemFailures: [] });
      await stopService('sqs');
      await startService('sqs');
    } finally {
      await thawService('relay');
    }
    const [job] = await jobsOf(outboxId);
    expect(job).toMatchObject({ status: 'pending', attempts: 0 });
    // Unchanged for longer than the grace a message gets.
    await query('primary', 'UPDATE notification_job SET updated_at = NOW(3) - INTERVAL 5 MINUTE WHERE id = ?', [job!.id]);
    expect((await invoke('stuckJobs')).requeued).toBeGreaterThanOrEqual(1);
    await mailedOnce(customer, outboxId, 'Баланс пополнен на 44.00 ₽');
  });
});
