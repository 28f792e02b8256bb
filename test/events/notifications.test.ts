import { describe, expect, it } from 'vitest';
import { connect, eventually, query } from '../helpers/db';
import { stack } from '../helpers/http';
import { freezeService, thawService, without } from '../helpers/control';
import { invoke } from '../helpers/invoke';
import { apiConfig, topUp } from '../helpers/money';
import {
  allDelivered,
  deadLetters,
  queuedMessages,
  failTelegram,
  jobsOf,
  mailsTo,
  newCategory,
  newChatId,
  outboxIdOf,
  setChannels,
  telegramTo,
  theMail,
  rawHeader,
  toppedUpOnTelegram,
} from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';
import { CLAIM_ROUND } from '../../shared/notifications/consumer';

const siteUrl = stack.env.SITE_URL!;

async function subscribedExecutor(categoryId: number, chatId: string | null): Promise<Person> {
  const executor = await register('executor');
  expect((await executor.put(`/api/me/subscriptions/${categoryId}`)).status).toBe(204);
  if (chatId) await setChannels(executor, { email: true, telegramChatId: chatId });
  return executor;
}

describe('a new task in a category', () => {
  it('reaches each subscribed executor exactly once by e-mail and by Telegram, and tells the customer the balance was charged', async () => {
    const categoryId = await newCategory();
    const chats = [newChatId(), newChatId(), newChatId()];
    const subscribers = await Promise.all(chats.map((chat) => subscribedExecutor(categoryId, chat)));
    const unsubscribed = await subscribedExecutor(categoryId, newChatId());
    expect((await unsubscribed.del(`/api/me/subscriptions/${categoryId}`)).status).toBe(204);
    const customer = await register('customer', { fname: 'Анна', sname: '<Смирнова>' });
    // The customer's own executor account is subscribed too: it hears about its own task only once, as the customer.
    expect((await (await customer.as('executor')).put(`/api/me/subscriptions/${categoryId}`)).status).toBe(204);
    await topUp(customer, '500.00');

    const task = await postTask(customer, { categoryId, title: 'Перевод <b>договора</b> & приложений', reward: '150.00' });
    const outboxId = await outboxIdOf('task_created', 'taskId', task.id);
    // Three subscribers on two channels, and the customer by e-mail.
    const jobs = await allDelivered(outboxId, 7);
    expect(jobs.filter((j) => j.accountId === customer.id).map((j) => j.channel)).toEqual(['email']);

    for (const [i, executor] of subscribers.entries()) {
      const mails = (await mailsTo(executor.email)).filter((m) => m.subject.includes(`задание`) && m.text.includes(`#/tasks/${task.id}`));
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.subject).toContain('Новое задание в категории');
      expect(mail.text).toContain('150.00 ₽');
      expect(mail.text).toContain(`${siteUrl}/#/tasks/${task.id}`);
      // User text arrives escaped in the HTML part, never as markup.
      expect(mail.html).not.toContain('<b>договора</b>');
      expect(mail.html).toContain('&#60;b&#62;договора&#60;/b&#62; &#38; приложений');
      expect(mail.html).not.toContain('<Смирнова>');
      const messages = (await telegramTo(chats[i]!)).filter((m) => m.text.includes(`#/tasks/${task.id}`));
      expect(messages).toHaveLength(1);
      expect(messages[0]!.text).toContain('Перевод <b>договора</b> & приложений');
    }
    expect((await mailsTo(unsubscribed.email)).filter((m) => m.text.includes(`#/tasks/${task.id}`))).toEqual([]);
    const charged = await theMail(customer.email, 'Баланс списан за задание');
    // Automated mail that can be turned off in the notification settings.
    expect(charged.headers['auto-submitted']).toBe('auto-generated');
    expect(await rawHeader(charged, 'List-Unsubscribe')).toBe(`<${siteUrl}/#/settings>`);
    expect(await rawHeader(charged, 'List-Unsubscribe-Post')).toBeUndefined();
    expect(charged.text).toContain('150.00 ₽');
    expect(charged.text).toContain(`${siteUrl}/#/tasks/${task.id}`);
  });
});

describe('every other event of the contract', () => {
  it('reaches its recipient once: take, apply, choose, submit, reject, accept, top-up, payout approved and rejected', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    const customerChat = newChatId();
    await setChannels(customer, { email: true, telegramChatId: customerChat });
    await topUp(customer, '1000.00');
    await theMail(customer.email, 'Баланс пополнен на 1000.00 ₽');
    expect(
      (
        await eventually(async () => {
          const found = (await telegramTo(customerChat)).filter((m) => m.text.includes('Баланс пополнен'));
          expect(found).toHaveLength(1);
          return found;
        })
      )[0]!.text,
    ).toContain(`${siteUrl}/#/balance`);

    const first = await postTask(customer, { title: 'Первое задание', reward: '300.00' });
    expect((await executor.post(`/api/tasks/${first.id}/take`)).status).toBe(200);
    expect((await theMail(customer.email, 'Исполнитель взял задание «Первое задание»')).text).toContain('Иван Петров');
    expect((await executor.post(`/api/tasks/${first.id}/submit`, { comment: 'Готово, см. <вложение>' })).status).toBe(200);
    const submitted = await theMail(customer.email, 'Работа по заданию «Первое задание» сдана');
    expect(submitted.text).toContain('Готово, см. <вложение>');
    expect(submitted.html).toContain('&#60;вложение&#62;');
    expect((await customer.post(`/api/tasks/${first.id}/reject`, { comment: 'Нужно исправить' })).status).toBe(200);
    expect((await theMail(executor.email, 'Работа по заданию «Первое задание» возвращена')).text).toContain('Нужно исправить');
    expect((await executor.post(`/api/tasks/${first.id}/submit`)).status).toBe(200);
    expect((await customer.post(`/api/tasks/${first.id}/accept`)).status).toBe(200);
    const accepted = await theMail(executor.email, 'Работа по заданию «Первое задание» принята');
    expect(accepted.text).toContain('270.00 ₽');
    expect(accepted.text).toContain(`${siteUrl}/#/salary`);

    const second = await postTask(customer, { title: 'Второе задание', reward: '100.00', assignment: 'choose' });
    expect((await executor.post(`/api/tasks/${second.id}/apply`)).status).toBe(201);
    await theMail(customer.email, 'Новый отклик на задание «Второе задание»');
    expect((await customer.post(`/api/tasks/${second.id}/assign`, { executorId: executor.id })).status).toBe(200);
    await theMail(executor.email, 'Вас выбрали исполнителем задания «Второе задание»');

    const boss = await admin();
    const approved = await executor.post('/api/payouts', { amount: '120.00', method: 'card', destination: '4111111111111111' });
    expect(approved.status, approved.text).toBe(201);
    expect((await boss.post(`/api/admin/payouts/${approved.body.id}/approve`)).status).toBe(200);
    await theMail(executor.email, 'Выплата 120.00 ₽ одобрена');
    const rejected = await executor.post('/api/payouts', { amount: '150.00', method: 'card', destination: '4111111111111111' });
    expect(rejected.status, rejected.text).toBe(201);
    expect((await boss.post(`/api/admin/payouts/${rejected.body.id}/reject`, { comment: 'Реквизиты не совпадают' })).status).toBe(200);
    expect((await theMail(executor.email, 'Выплата 150.00 ₽ отклонена')).text).toContain('Реквизиты не совпадают');
  });
});

describe('notification channels', () => {
  it('respects a channel turned off: no job, no message', async () => {
    const { customer, chat, jobs } = await toppedUpOnTelegram('50.00');
    expect(jobs[0]!.channel).toBe('telegram');
    // The chat holds the bot's answer to Start (the link) and the one notification.
    expect((await telegramTo(chat)).filter((m) => m.text.includes('50.00'))).toHaveLength(1);
    expect(await mailsTo(customer.email)).toEqual([]);
  });

  it('retries a send that failed part-way through a delivery, and nobody gets a message twice', async () => {
    const categoryId = await newCategory();
    const chats = [newChatId(), newChatId(), newChatId(), newChatId()];
    const subscribers: Person[] = [];
    for (const chat of chats) subscribers.push(await subscribedExecutor(categoryId, chat));
    // The second subscriber's Telegram fails on the first try; the jobs around it in the same message go through.
    await failTelegram(1, chats[1]);
    const customer = await register('customer');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { categoryId, reward: '100.00' });
    const outboxId = await outboxIdOf('task_created', 'taskId', task.id);
    const jobs = await allDelivered(outboxId, 9, 20_000);

    const failedOnce = jobs.find((j) => j.accountId === subscribers[1]!.id && j.channel === 'telegram')!;
    expect(failedOnce.attempts).toBe(2);
    expect(jobs.filter((j) => j !== failedOnce).every((j) => j.attempts === 1)).toBe(true);
    for (const [i, executor] of subscribers.entries()) {
      expect((await telegramTo(chats[i]!)).filter((m) => m.text.includes(`#/tasks/${task.id}`))).toHaveLength(1);
      expect((await mailsTo(executor.email)).filter((m) => m.text.includes(`#/tasks/${task.id}`))).toHaveLength(1);
    }
  });
});

describe('the consumer', () => {
  const sqsEvent = (bodies: unknown[], receiveCount = 1) => ({
    Records: bodies.map((body, i) => ({
      messageId: `test-${Date.now()}-${i}`,
      receiptHandle: `test-${i}`,
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: String(receiveCount) },
      messageAttributes: {},
      eventSource: 'aws:sqs',
    })),
  });

  it('handles an event and a delivery again without sending anything twice', async () => {
    const customer = await register('customer');
    await topUp(customer, '30.00');
    const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
    const [job] = await allDelivered(outboxId, 1);
    // What SQS may do: deliver the same messages again.
    const answer = await invoke(
      'events',
      sqsEvent([
        { kind: 'event', outboxId },
        { kind: 'deliver', jobIds: [job!.id] },
      ]),
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect((await jobsOf(outboxId)).map((j) => [j.status, j.attempts])).toEqual([['done', 1]]);
    expect((await mailsTo(customer.email)).filter((m) => m.subject.includes('Баланс пополнен'))).toHaveLength(1);
  });

  it("queues the new jobs of a batch's events in one deliver message, and each is sent once", async () => {
    const customers = await Promise.all(Array.from({ length: 3 }, () => register('customer')));
    let outboxIds: number[] = [];
    let queued: { kind: string; jobIds?: number[] }[];
    // With the relay frozen nothing consumes the queue: what this batch queues stays there to be read.
    await freezeService('relay');
    try {
      for (const customer of customers) await topUp(customer, '12.00');
      outboxIds = await Promise.all(customers.map((c) => outboxIdOf('balance_topped_up', 'accountId', c.id)));
      expect(await invoke('events', sqsEvent(outboxIds.map((outboxId) => ({ kind: 'event', outboxId }))))).toEqual({
        batchItemFailures: [],
      });
      queued = await queuedMessages();
    } finally {
      await thawService('relay');
    }
    const jobIds = (await Promise.all(outboxIds.map((id) => jobsOf(id)))).flat().map((j) => j.id);
    expect(jobIds).toHaveLength(3);
    const carrying = queued.filter((m) => m.kind === 'deliver' && m.jobIds!.some((id) => jobIds.includes(id)));
    expect(carrying.map((m) => [...m.jobIds!].sort((a, b) => a - b))).toEqual([[...jobIds].sort((a, b) => a - b)]);
    // The relay, thawed, hands the events over again too: their jobs are still sent once each.
    for (const [i, customer] of customers.entries()) {
      await allDelivered(outboxIds[i]!, 1);
      expect((await mailsTo(customer.email)).filter((m) => m.subject.includes('Баланс пополнен на 12.00'))).toHaveLength(1);
    }
  });

  it('reports a malformed message as failed and handles the rest of the batch', async () => {
    const answer = await invoke(
      'events',
      sqsEvent([
        { kind: 'deliver', jobIds: [] },
        { kind: 'event', outboxId: 999_999_999 },
      ]),
    );
    expect(answer.batchItemFailures).toHaveLength(1);
    expect(answer.batchItemFailures[0].itemIdentifier).toMatch(/-0$/);
  });

  it('crashing part-way through a delivery: the message comes back, the rest is sent, nobody gets anything twice', async () => {
    const people: { person: Person; chat: string; outboxId: number }[] = [];
    await without('sqs', async () => {
      for (let i = 0; i < 3; i++) {
        const person = await register('customer');
        const chat = newChatId();
        await setChannels(person, { email: true, telegramChatId: chat });
        await topUp(person, '10.00');
        people.push({ person, chat, outboxId: await outboxIdOf('balance_topped_up', 'accountId', person.id) });
      }
      for (const { outboxId } of people) {
        // With the queue down the event becomes its jobs, but no message can take them anywhere.
        expect((await invoke('events', sqsEvent([{ kind: 'event', outboxId }]))).batchItemFailures).toHaveLength(1);
      }
      // Nor may the outbox relay or the reconciler: this test plays SQS for these jobs. (A relay round
      // that failed meanwhile gives back only rows not processed yet, which these are not.)
      await query('primary', 'UPDATE outbox SET published_at = NOW(3) WHERE id IN (?)', [people.map((p) => p.outboxId)]);
    });
    const jobs = (await Promise.all(people.map((p) => jobsOf(p.outboxId)))).flat();
    expect(jobs.map((j) => j.status)).toEqual(Array(6).fill('pending'));
    const delivery = sqsEvent([{ kind: 'deliver', jobIds: jobs.map((j) => j.id) }]);

    // A row of the second round of claims is locked: that claim waits, times out, and the
    // delivery dies with the first round sent and the rest not.
    const lock = await connect('primary');
    try {
      await lock.beginTransaction();
      await lock.query('SELECT id FROM notification_job WHERE id = ? FOR UPDATE', [jobs[CLAIM_ROUND]!.id]);
      expect((await invoke('events', delivery)).batchItemFailures).toHaveLength(1);
    } finally {
      await lock.rollback();
      await lock.end();
    }
    const afterCrash = (await Promise.all(people.map((p) => jobsOf(p.outboxId)))).flat();
    expect(afterCrash.map((j) => j.status)).toEqual([...Array(CLAIM_ROUND).fill('done'), ...Array(6 - CLAIM_ROUND).fill('pending')]);

    // SQS hands the same message back.
    expect(await invoke('events', delivery)).toEqual({ batchItemFailures: [] });
    const final = (await Promise.all(people.map((p) => jobsOf(p.outboxId)))).flat();
    expect(final.map((j) => [j.status, j.attempts])).toEqual(Array(6).fill(['done', 1]));
    for (const { person, chat } of people) {
      expect((await mailsTo(person.email)).filter((m) => m.subject.includes('Баланс пополнен'))).toHaveLength(1);
      expect((await telegramTo(chat)).filter((m) => m.text.includes('Баланс пополнен'))).toHaveLength(1);
    }
  });

  it('on the last try of an event it cannot expand, logs the error and hands the event back to the reconciler', async () => {
    // An event naming a task that does not exist: no input of the API can make one.
    const inserted: any = await query(
      'primary',
      'INSERT INTO outbox (event_type, payload, published_at) VALUES (\'task_taken\', \'{"taskId":4294967295,"executorId":1}\', NOW(3) - INTERVAL 45 SECOND)',
    );
    const outboxId = Number(inserted.insertId);
    try {
      const event = sqsEvent([{ kind: 'event', outboxId }], 5);
      const answer = await invoke('events', event);
      expect(answer.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
      const logged = await query('primary', 'SELECT route, message FROM error_log WHERE request_id = ?', [event.Records[0]!.messageId]);
      expect(logged).toEqual([{ route: 'SQS events', message: expect.stringContaining(`event ${outboxId} failed 5 times`) }]);
      // Its grace starts again: the reconciler sends it once more when that is over, not at once.
      const [row] = await query(
        'primary',
        'SELECT published_at > NOW(3) - INTERVAL 30 SECOND AS graceRestarted, processed_at AS processedAt FROM outbox WHERE id = ?',
        [outboxId],
      );
      expect(row).toEqual({ graceRestarted: 1, processedAt: null });
    } finally {
      await query('primary', 'DELETE FROM outbox WHERE id = ?', [outboxId]);
    }
  });
});

describe('a channel that stays down', () => {
  it('is retried with backoff, then failed and listed for the admin, and an admin retry delivers it', async () => {
    const customer = await register('customer');
    const boss = await admin();
    let jobId = 0;
    await without('maildev', async () => {
      await topUp(customer, '75.00');
      const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
      const job = await eventually(
        async () => {
          const [only] = await jobsOf(outboxId);
          expect(only?.status).toBe('failed');
          return only!;
        },
        60_000,
        500,
      );
      // Five tries (the queue's maxReceiveCount), each refused by the stopped SMTP server.
      expect(job.attempts).toBe(5);
      expect(job.lastError).toMatch(/^SMTP: /);
      jobId = job.id;
      // Its message has left the queue for the dead-letter queue.
      await eventually(async () => expect((await deadLetters()).some((m) => m.jobIds?.includes(job.id))).toBe(true));
    });
    const failed = await eventually(async () => {
      const list = await boss.get('/api/admin/jobs?status=failed&limit=100');
      expect(list.status).toBe(200);
      const item = list.body.items.find((j: { id: number }) => j.id === jobId);
      expect(item).toBeDefined();
      return item;
    });
    expect(failed).toEqual({
      id: jobId,
      type: 'balance_topped_up:email',
      status: 'failed',
      attempts: 5,
      lastError: expect.stringMatching(/^SMTP: /),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await mailsTo(customer.email)).toEqual([]);

    const retried = await boss.post(`/api/admin/jobs/${jobId}/retry`);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toMatchObject({ id: jobId, status: 'pending' });
    await theMail(customer.email, 'Баланс пополнен на 75.00 ₽');
    await eventually(async () => {
      const [row] = await query('primary', 'SELECT status, attempts, last_error AS lastError FROM notification_job WHERE id = ?', [jobId]);
      expect(row).toEqual({ status: 'done', attempts: 6, lastError: null });
    });
    const again = await boss.post(`/api/admin/jobs/${jobId}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_state');
  }, 90_000);

  it('lists jobs for admins only, newest first, by status, with pages; retrying an unknown job is 404', async () => {
    const boss = await admin();
    const page = await boss.get('/api/admin/jobs?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(2);
    if (page.body.nextCursor) {
      const next = await boss.get(`/api/admin/jobs?limit=2&cursor=${page.body.nextCursor}`);
      expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id);
    }
    const done = await boss.get('/api/admin/jobs?status=done&limit=5');
    expect(done.body.items.every((j: { status: string }) => j.status === 'done')).toBe(true);
    expect((await boss.get('/api/admin/jobs?status=lost')).status).toBe(400);
    expect((await boss.post('/api/admin/jobs/999999999/retry')).status).toBe(404);
    const someone = await register('customer');
    expect((await someone.get('/api/admin/jobs')).status).toBe(403);
  });
});

describe('work accepted by the schedule', () => {
  it('tells the executor it was accepted automatically', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { title: 'Ждёт проверки', reward: '100.00' });
    expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
    expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
    await query('primary', 'UPDATE task SET submitted_at = NOW(3) - INTERVAL ? MINUTE WHERE id = ?', [
      apiConfig.AUTO_ACCEPT_HOURS * 60 + 1,
      task.id,
    ]);
    await invoke('autoAccept');
    const mail = await theMail(executor.email, 'Работа по заданию «Ждёт проверки» принята');
    expect(mail.text).toContain('принята автоматически');
    expect(mail.text).toContain('90.00 ₽');
  });
});
