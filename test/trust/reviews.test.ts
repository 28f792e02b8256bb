// Reviews and profiles (API.md v2): two-sided, blind until both reviewed or the window closed,
// ratings exact under concurrent reviews and hides, and shown beside the task's customer.
import { describe, expect, it } from 'vitest';
import { eventually, query } from '../helpers/db';
import { doneTask } from '../helpers/earn';
import { call as request, errorOf } from '../helpers/http';
import { invoke } from '../helpers/invoke';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

/** An anonymous GET. */
const call = (path: string) => request('GET', path);

const review = (person: Person, taskId: number, rating: number, text = '') => person.post(`/api/tasks/${taskId}/review`, { rating, text });

/** Moves a done task's completion back in time, as if it had been done `days` ago. */
async function doneDaysAgo(taskId: number, days: number): Promise<void> {
  await query('primary', 'UPDATE task SET updated_at = NOW(3) - INTERVAL ? SECOND WHERE id = ?', [Math.round(days * 86_400), taskId]);
}

async function pair(): Promise<{ customer: Person; executor: Person }> {
  const customer = await register('customer', { fname: 'Мария', sname: 'Заказчикова' });
  const executor = await register('executor', { fname: 'Пётр', sname: 'Исполнитель' });
  await topUp(customer, '1000.00');
  return { customer, executor };
}

/** The profile as anyone sees it once replication has caught up with `expected`. */
async function profileOf(accountId: number, expected: Record<string, unknown>): Promise<any> {
  return eventually(async () => {
    const res = await call(`/api/accounts/${accountId}/profile`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject(expected);
    return res.body;
  });
}

describe('reviewing a done task', () => {
  it('keeps the first review blind and publishes both at the second', async () => {
    const { customer, executor } = await pair();
    const task = await doneTask(customer, executor, '200.00');
    const first = await review(customer, task.id, 5, 'Отличная работа, всё в срок');
    expect(first.status, first.text).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(Number),
      task: { id: task.id, title: task.title },
      author: { id: customer.id, name: 'Мария Заказчикова' },
      subject: { id: executor.id, name: 'Пётр Исполнитель' },
      subjectRole: 'executor',
      rating: 5,
      text: 'Отличная работа, всё в срок',
      createdAt: expect.any(String),
      publishedAt: null,
    });
    // Blind: the executor sees no review of itself, and the profile counts nothing yet.
    expect((await executor.get(`/api/tasks/${task.id}/reviews`)).body).toEqual({ mine: null, theirs: null });
    expect((await customer.get(`/api/tasks/${task.id}/reviews`)).body).toEqual({ mine: first.body, theirs: null });
    expect((await call(`/api/accounts/${executor.id}/reviews`)).body.items).toEqual([]);

    const second = await review(executor, task.id, 4);
    expect(second.status, second.text).toBe(201);
    expect(second.body).toMatchObject({
      subjectRole: 'customer',
      subject: { id: customer.id },
      rating: 4,
      text: '',
      publishedAt: expect.any(String),
    });
    const seen = await executor.get(`/api/tasks/${task.id}/reviews`);
    expect(seen.body.theirs).toMatchObject({ id: first.body.id, publishedAt: expect.any(String) });
    expect(seen.body.mine).toMatchObject({ id: second.body.id });

    await profileOf(executor.id, {
      id: executor.id,
      name: 'Пётр Исполнитель',
      blocked: false,
      asExecutor: { rating: '5.00', reviews: 1, tasksDone: 1, disputes: 0 },
    });
    await profileOf(customer.id, {
      asCustomer: { rating: '4.00', reviews: 1, tasksPosted: 1, tasksDone: 1, disputes: 0 },
      asExecutor: { rating: null, reviews: 0, tasksDone: 0, disputes: 0 },
    });
    const list = await call(`/api/accounts/${executor.id}/reviews?role=executor`);
    expect(list.body).toEqual({ items: [expect.objectContaining({ id: first.body.id })], nextCursor: null });
    expect((await call(`/api/accounts/${executor.id}/reviews?role=customer`)).body.items).toEqual([]);
  });

  it('refuses a second review, a task that is not done, a closed window and strangers', async () => {
    const { customer, executor } = await pair();
    const task = await doneTask(customer, executor);
    expect((await review(customer, task.id, 3)).status).toBe(201);
    expect(errorOf(await review(customer, task.id, 5))).toEqual({ status: 409, code: 'conflict' });
    expect(errorOf(await review(await register('executor'), task.id, 1))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await review(await admin(), task.id, 1))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/review`, { rating: 6, text: '' }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/review`, { rating: 4.5, text: '' }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });

    const open = await postTask(customer);
    expect(errorOf(await review(customer, open.id, 5))).toEqual({ status: 409, code: 'invalid_state' });
    expect((await executor.post(`/api/tasks/${open.id}/take`)).status).toBe(200);
    expect(errorOf(await review(executor, open.id, 5))).toEqual({ status: 409, code: 'invalid_state' });

    const old = await doneTask(customer, executor);
    await doneDaysAgo(old.id, 14.01);
    expect(errorOf(await review(executor, old.id, 5))).toEqual({ status: 409, code: 'invalid_state' });
    const recent = await doneTask(customer, executor);
    await doneDaysAgo(recent.id, 13.99);
    expect((await review(executor, recent.id, 5)).status).toBe(201);
  });

  it('publishes a lone review when the window closes (the reviewWindows schedule)', async () => {
    const { customer, executor } = await pair();
    const task = await doneTask(customer, executor);
    const lone = await review(executor, task.id, 2, 'Долго отвечал');
    expect(lone.status).toBe(201);
    await invoke('reviewWindows');
    expect((await customer.get(`/api/tasks/${task.id}/reviews`)).body.theirs).toBeNull();
    await doneDaysAgo(task.id, 14.001);
    expect((await invoke('reviewWindows')).published).toBeGreaterThanOrEqual(1);
    expect((await customer.get(`/api/tasks/${task.id}/reviews`)).body.theirs).toMatchObject({
      id: lone.body.id,
      publishedAt: expect.any(String),
    });
    await profileOf(customer.id, { asCustomer: { rating: '2.00', reviews: 1 } });
    expect(errorOf(await review(customer, task.id, 5))).toEqual({ status: 409, code: 'invalid_state' });
  });

  it("averages to two decimals and shows the rating beside the task's customer", async () => {
    const customer = await register('customer');
    await topUp(customer, '1000.00');
    const executors = await Promise.all([register('executor'), register('executor'), register('executor')]);
    for (const [i, executor] of executors.entries()) {
      const task = await doneTask(customer, executor);
      expect((await review(executor, task.id, [5, 4, 5][i]!)).status).toBe(201);
      expect((await review(customer, task.id, 5)).status).toBe(201);
    }
    await profileOf(customer.id, { asCustomer: { rating: '4.67', reviews: 3, tasksDone: 3 } });
    const next = await postTask(customer);
    await eventually(async () => {
      const seen = await call(`/api/tasks/${next.id}`);
      expect(seen.body.customer).toEqual({ id: customer.id, name: 'Иван Петров', rating: '4.67', reviews: 3 });
    });
  });
});

describe('hiding a review', () => {
  it('takes it out of every list and average, and hiding again changes nothing', async () => {
    const { customer, executor } = await pair();
    const kept = await doneTask(customer, executor);
    const bad = await doneTask(customer, executor);
    for (const [task, rating] of [
      [kept, 5],
      [bad, 1],
    ] as const) {
      expect((await review(customer, task.id, rating, `Оценка ${rating}`)).status).toBe(201);
      expect((await review(executor, task.id, 5)).status).toBe(201);
    }
    await profileOf(executor.id, { asExecutor: { rating: '3.00', reviews: 2 } });
    const target = (await customer.get(`/api/tasks/${bad.id}/reviews`)).body.mine;
    const boss = await admin();
    const hidden = await boss.post(`/api/admin/reviews/${target.id}/hide`, { reason: 'Оскорбления' });
    expect(hidden.status, hidden.text).toBe(200);
    expect(hidden.body).toMatchObject({ id: target.id });
    expect((await boss.post(`/api/admin/reviews/${target.id}/hide`, { reason: 'Ещё раз' })).status).toBe(200);
    await profileOf(executor.id, { asExecutor: { rating: '5.00', reviews: 1 } });
    expect((await call(`/api/accounts/${executor.id}/reviews`)).body.items.map((r: any) => r.rating)).toEqual([5]);
    expect((await executor.get(`/api/tasks/${bad.id}/reviews`)).body.theirs).toBeNull();
    expect(errorOf(await boss.post('/api/admin/reviews/999999999/hide', { reason: 'x' }))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await customer.post(`/api/admin/reviews/${target.id}/hide`, { reason: 'x' }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });

  it('keeps the aggregates exact under concurrent reviews and hides', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '1000.00');
    const tasks = [];
    for (let i = 0; i < 8; i++) tasks.push(await doneTask(customer, executor));
    const ratings = [5, 4, 3, 2, 1, 5, 4, 3];
    // Tasks 0..3 are reviewed by both already; their customer reviews are hidden while 4..7 are reviewed, all at once.
    const earlier = [];
    for (const [i, task] of tasks.slice(0, 4).entries()) {
      earlier.push((await review(customer, task.id, ratings[i]!)).body);
      expect((await review(executor, task.id, 5)).status).toBe(201);
    }
    const boss = await admin();
    const results = await Promise.all([
      ...tasks.slice(4).flatMap((task, i) => [review(customer, task.id, ratings[i + 4]!), review(executor, task.id, 4)]),
      ...earlier
        .slice(0, 2)
        .flatMap((r) => [
          boss.post(`/api/admin/reviews/${r.id}/hide`, { reason: 'a' }),
          boss.post(`/api/admin/reviews/${r.id}/hide`, { reason: 'b' }),
        ]),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(8).fill(201), ...Array(4).fill(200)]);
    // Visible: the customer's reviews of tasks 2..7 (two are hidden) and all eight of the executor's.
    const visible = [ratings[2]!, ratings[3]!, ...ratings.slice(4)];
    const mean = (xs: number[]) => (Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100).toFixed(2);
    await profileOf(executor.id, { asExecutor: { rating: mean(visible), reviews: visible.length, tasksDone: 8 } });
    await profileOf(customer.id, { asCustomer: { rating: mean([5, 5, 5, 5, 4, 4, 4, 4]), reviews: 8, tasksDone: 8 } });
    // The aggregate rows agree with the reviews themselves.
    const recount = await query(
      'primary',
      `SELECT ar.account_id AS id, ar.role, ar.reviews, ar.rating_sum AS sum,
              (SELECT COUNT(*) FROM review r WHERE r.subject_id = ar.account_id AND r.subject_role = ar.role AND r.published_at IS NOT NULL AND r.hidden_at IS NULL) AS n,
              (SELECT COALESCE(SUM(rating), 0) FROM review r WHERE r.subject_id = ar.account_id AND r.subject_role = ar.role AND r.published_at IS NOT NULL AND r.hidden_at IS NULL) AS s
         FROM account_rating ar WHERE ar.account_id IN (?, ?)`,
      [customer.id, executor.id],
    );
    expect(recount).toHaveLength(2);
    for (const row of recount) expect([row.reviews, row.sum]).toEqual([Number(row.n), Number(row.s)]);
  }, 120_000);
});

describe('profiles', () => {
  it('answers 404 for an unknown account', async () => {
    expect(errorOf(await call('/api/accounts/999999999/profile'))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await call('/api/accounts/999999999/reviews'))).toEqual({ status: 404, code: 'not_found' });
  });
});
