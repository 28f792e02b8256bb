// Each scheduled function invoked directly, as EventBridge would.
import memjs from 'memjs';
import { describe, expect, it } from 'vitest';
import { without } from '../helpers/control';
import { eventually, query } from '../helpers/db';
import { stack } from '../helpers/http';
import { invoke } from '../helpers/invoke';
import { topUp } from '../helpers/money';
import { allDelivered, jobsOf, newCategory, outboxIdOf, telegramTo, theMail, toppedUpOnTelegram } from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { register } from '../helpers/users';

describe('outbox relay', () => {
  it('lets a request succeed while the queue is down, and sends its event once the queue is back', async () => {
    const customer = await register('customer');
    await without('sqs', async () => {
      await topUp(customer, '40.00');
      const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
      // The relay's sends fail meanwhile: the event waits in the outbox, no job made of it.
      expect(await query('primary', 'SELECT processed_at AS processedAt FROM outbox WHERE id = ?', [outboxId])).toEqual([
        { processedAt: null },
      ]);
    });
    await theMail(customer.email, 'Баланс пополнен на 40.00 ₽');
  });
});

describe('stuck jobs', () => {
  it('sends again a job whose consumer died before sending it, and a pending job whose message was lost', async () => {
    const {
      chat,
      outboxId,
      jobs: [job],
    } = await toppedUpOnTelegram('20.00');
    // As if the consumer had claimed it six minutes ago and died before the message left.
    await fetch(`${stack.urls.telegram}/messages?chatId=${chat}`, { method: 'DELETE' });
    await query('primary', "UPDATE notification_job SET status = 'running', started_at = NOW(3) - INTERVAL 6 MINUTE WHERE id = ?", [
      job!.id,
    ]);
    expect((await invoke('stuckJobs')).requeued).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect((await jobsOf(outboxId))[0]).toMatchObject({ status: 'done', attempts: 2 }));
    expect(await telegramTo(chat)).toHaveLength(1);

    await fetch(`${stack.urls.telegram}/messages?chatId=${chat}`, { method: 'DELETE' });
    await query('primary', "UPDATE notification_job SET status = 'pending', updated_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ?", [job!.id]);
    expect((await invoke('stuckJobs')).requeued).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect((await jobsOf(outboxId))[0]).toMatchObject({ status: 'done', attempts: 3 }));
    expect(await telegramTo(chat)).toHaveLength(1);
  });

  it('leaves running and pending jobs alone while they are young', async () => {
    const customer = await register('customer');
    await topUp(customer, '21.00');
    const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
    const [job] = await allDelivered(outboxId, 1);
    await query('primary', "UPDATE notification_job SET status = 'running', started_at = NOW(3) - INTERVAL 1 MINUTE WHERE id = ?", [
      job!.id,
    ]);
    await invoke('stuckJobs');
    expect((await jobsOf(outboxId))[0]).toMatchObject({ status: 'running', attempts: 1 });
    await query('primary', "UPDATE notification_job SET status = 'done' WHERE id = ?", [job!.id]);
  });
});

describe('session cleanup', () => {
  it('removes sessions idle for more than 30 days and keeps the others', async () => {
    const idle = await register('customer');
    const active = await register('customer');
    await query('primary', 'UPDATE session SET last_active_at = NOW(3) - INTERVAL 31 DAY WHERE account_id = ?', [idle.id]);
    const result = await invoke('sessionCleanup');
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(await query('primary', 'SELECT id FROM session WHERE account_id = ?', [idle.id])).toEqual([]);
    expect(await query('primary', 'SELECT id FROM session WHERE account_id = ?', [active.id])).toHaveLength(1);
    expect((await active.get('/api/me')).status).toBe(200);
  });
});

describe('retention', () => {
  it('deletes request timings after 30 days, errors after 90, idempotency keys after 24 hours, failed logins after their minute, and keeps younger rows', async () => {
    const person = await register('customer');
    const tag = `retention-${Date.now()}`;
    await query(
      'primary',
      `INSERT INTO request_stat_bucket (hour_start, route, bucket, count) VALUES
      (NOW() - INTERVAL 31 DAY, ?, 1, 1), (NOW() - INTERVAL 29 DAY, ?, 1, 1)`,
      [`${tag} old`, `${tag} young`],
    );
    await query(
      'primary',
      `INSERT INTO error_log (request_id, route, message, created_at) VALUES
      (?, 'r', 'm', NOW(3) - INTERVAL 91 DAY), (?, 'r', 'm', NOW(3) - INTERVAL 89 DAY)`,
      [`${tag}-old`, `${tag}-young`],
    );
    await query(
      'primary',
      `INSERT INTO idempotency_key (account_id, idem_key, fingerprint, created_at) VALUES
      (?, 'old', REPEAT('x', 32), NOW(3) - INTERVAL 25 HOUR), (?, 'young', REPEAT('x', 32), NOW(3) - INTERVAL 23 HOUR)`,
      [person.id, person.id],
    );
    const address = `192.0.2.${Date.now() % 250}`;
    await query(
      'primary',
      `INSERT INTO auth_failure (ip, minute, failures) VALUES
      (?, UNIX_TIMESTAMP() DIV 60 - 5, 3), (?, UNIX_TIMESTAMP() DIV 60, 2)`,
      [address, address],
    );
    const result = await invoke('retention');
    expect(await query('primary', 'SELECT failures FROM auth_failure WHERE ip = ?', [address])).toEqual([{ failures: 2 }]);
    expect(result).toMatchObject({ requestStats: expect.any(Number), errors: expect.any(Number), idempotencyKeys: expect.any(Number) });
    expect(result.requestStats).toBeGreaterThanOrEqual(1);
    expect((await query('primary', 'SELECT route FROM request_stat_bucket WHERE route LIKE ?', [`${tag}%`])).map((r) => r.route)).toEqual([
      `${tag} young`,
    ]);
    expect(
      (await query('primary', 'SELECT request_id AS id FROM error_log WHERE request_id LIKE ?', [`${tag}%`])).map((r) => r.id),
    ).toEqual([`${tag}-young`]);
    expect((await query('primary', 'SELECT idem_key AS k FROM idempotency_key WHERE account_id = ?', [person.id])).map((r) => r.k)).toEqual(
      ['young'],
    );
  });
});

describe('feed refresh', () => {
  it('puts the first page of the feed, for all tasks and for each category, in the cache', async () => {
    const categoryId = await newCategory();
    const customer = await register('customer');
    await topUp(customer, '10.00');
    // A new task changes the feed's version: no page is cached for it yet.
    const task = await postTask(customer, { categoryId, reward: '10.00' });
    const result = await invoke('feedRefresh');
    const [{ categories }] = await query('primary', 'SELECT COUNT(*) AS categories FROM category');
    expect(result.pages).toBe(Number(categories) + 1);
    const cache = memjs.Client.create(stack.env.MEMCACHED_SERVERS, { logger: { log: () => undefined } });
    try {
      const version = (await cache.get('feed:version')).value?.toString();
      expect(version).toBeDefined();
      for (const key of ['all', String(categoryId)]) {
        const page = (await cache.get(`feed:${version}:${key}:20`)).value?.toString();
        expect(page, key).toBeDefined();
        expect(JSON.parse(page!).items.map((t: { id: number }) => t.id)).toContain(task.id);
      }
    } finally {
      cache.close();
    }
  });
});
