// Every transition of the contract's table, and the forbidden ones, with their money.
import { beforeEach, describe, expect, it } from 'vitest';
import { call, errorOf } from '../helpers/http';
import { expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

let customer: Person;
let executor: Person;

beforeEach(async () => {
  customer = await register('customer', { fname: 'Мария', sname: 'Заказчикова' });
  executor = await register('executor', { fname: 'Пётр', sname: 'Исполнитель' });
  await topUp(customer, '1000.00');
});

describe('creating a task', () => {
  it('holds the reward and answers the task as the contract shows it', async () => {
    const task = await postTask(customer, { reward: '150.50', title: 'Перевод', assignment: 'first' });
    expect(task).toMatchObject({
      id: expect.any(Number),
      title: 'Перевод',
      description: 'Translate two pages',
      reward: '150.50',
      category: { id: 1, slug: 'translation', name: 'Переводы' },
      assignment: 'first',
      status: 'actual',
      customer: { id: customer.id, name: 'Мария Заказчикова' },
      executor: null,
    });
    expect(new Date(task.createdAt).toISOString()).toBe(task.createdAt);
    await expectMoney(customer, { balance: '849.50', balanceHeld: '150.50' });
    const ledger = await customer.get('/api/me/ledger');
    // One line for the hold, with what it did to each bucket.
    expect(ledger.body.items[0]).toMatchObject({
      kind: 'task_hold',
      amount: '-150.50',
      bucket: 'balance',
      taskId: task.id,
      description: `Удержание под задание №${task.id}`,
      effects: { balance: '-150.50', balanceHeld: '150.50' },
    });
    await expectBooksBalanced();
  });

  it('refuses a reward above the balance with 409 insufficient_funds and holds nothing', async () => {
    const res = await customer.post('/api/tasks', { title: 'Big', description: 'x', reward: '1000.01', categoryId: 1 });
    expect(errorOf(res)).toEqual({ status: 409, code: 'insufficient_funds' });
    await expectMoney(customer, { balance: '1000.00', balanceHeld: '0.00' });
    expect((await customer.get('/api/me/tasks')).body.items).toHaveLength(0);
  });

  it.each([
    ['a zero reward', { reward: '0' }, 'reward'],
    ['three decimals', { reward: '1.005' }, 'reward'],
    ['an unknown category', { categoryId: 99999 }, 'categoryId'],
    ['a title over 100', { title: 'x'.repeat(101) }, 'title'],
    ['a bad assignment', { assignment: 'auction' }, 'assignment'],
  ])('answers 400 validation_failed to %s', async (_, change, path) => {
    const res = await customer.post('/api/tasks', { title: 'T', description: 'D', reward: '10', categoryId: 1, ...change });
    expect(errorOf(res)).toEqual({ status: 400, code: 'validation_failed' });
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('is for customers only', async () => {
    const res = await executor.post('/api/tasks', { title: 'T', description: 'D', reward: '10', categoryId: 1 });
    expect(errorOf(res)).toEqual({ status: 403, code: 'forbidden' });
    const valid = { title: 'T', description: 'D', reward: '10', categoryId: 1 };
    expect(errorOf(await call('POST', '/api/tasks', { body: valid }))).toEqual({ status: 401, code: 'unauthenticated' });
  });
});

describe('assignment first: take, submit, accept', () => {
  it('pays the executor reward minus commission and the platform the commission', async () => {
    const task = await postTask(customer, { reward: '123.45' });
    const taken = await executor.post(`/api/tasks/${task.id}/take`);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'in_work', executor: { id: executor.id, name: 'Пётр Исполнитель' } });
    const submitted = await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'Готово' });
    expect(submitted.body).toMatchObject({ status: 'review' });
    const accepted = await customer.post(`/api/tasks/${task.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('done');
    await expectMoney(customer, { balance: '876.55', balanceHeld: '0.00' });
    await expectMoney(executor, { salary: '111.10', salaryHeld: '0.00' });
    const executorLedger = (await executor.get('/api/me/ledger')).body.items;
    expect(executorLedger[0]).toMatchObject({ kind: 'task_payment', amount: '111.10', bucket: 'salary', taskId: task.id });
    await expectBooksBalanced();
  });

  it('lets the customer reject with a comment and the executor submit again', async () => {
    const task = await postTask(customer);
    await executor.post(`/api/tasks/${task.id}/take`);
    await executor.post(`/api/tasks/${task.id}/submit`);
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/reject`, {}))).toEqual({ status: 400, code: 'validation_failed' });
    const rejected = await customer.post(`/api/tasks/${task.id}/reject`, { comment: 'Нужно переделать' });
    expect(rejected.body).toMatchObject({ status: 'in_work', comment: 'Нужно переделать' });
    expect((await executor.post(`/api/tasks/${task.id}/submit`)).body.status).toBe('review');
  });

  it('lets the executor abandon: the task is actual again and another executor may take it', async () => {
    const task = await postTask(customer);
    await executor.post(`/api/tasks/${task.id}/take`);
    const abandoned = await executor.post(`/api/tasks/${task.id}/abandon`);
    expect(abandoned.body).toMatchObject({ status: 'actual', executor: null });
    const other = await register('executor');
    expect((await other.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
  });

  it('refuses the wrong person with 403 and the wrong state with 409 invalid_state', async () => {
    const task = await postTask(customer);
    const stranger = await register('executor');
    const otherCustomer = await register('customer');
    const ownExecutor = await customer.as('executor');
    expect(errorOf(await ownExecutor.post(`/api/tasks/${task.id}/take`))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await executor.post(`/api/tasks/${task.id}/submit`))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/accept`))).toEqual({ status: 409, code: 'invalid_state' });
    expect(errorOf(await executor.post(`/api/tasks/${task.id}/apply`))).toEqual({ status: 409, code: 'invalid_state' });
    await executor.post(`/api/tasks/${task.id}/take`);
    expect(errorOf(await stranger.post(`/api/tasks/${task.id}/take`))).toEqual({ status: 409, code: 'task_taken' });
    expect(errorOf(await stranger.post(`/api/tasks/${task.id}/abandon`))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await otherCustomer.post(`/api/tasks/${task.id}/cancel`))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/cancel`))).toEqual({ status: 409, code: 'invalid_state' });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/take`))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await executor.post('/api/tasks/999999999/take'))).toEqual({ status: 404, code: 'not_found' });
  });
});

describe('assignment choose: apply, applications, assign', () => {
  it('lets executors apply and the customer choose one of them', async () => {
    const task = await postTask(customer, { assignment: 'choose' });
    const second = await register('executor', { fname: 'Ольга', sname: 'Вторая' });
    const applied = await executor.post(`/api/tasks/${task.id}/apply`);
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({
      id: expect.any(Number),
      executor: { id: executor.id, name: 'Пётр Исполнитель' },
      createdAt: expect.any(String),
    });
    expect((await second.post(`/api/tasks/${task.id}/apply`)).status).toBe(201);
    expect(errorOf(await executor.post(`/api/tasks/${task.id}/apply`))).toEqual({ status: 409, code: 'conflict' });
    expect(errorOf(await executor.post(`/api/tasks/${task.id}/take`))).toEqual({ status: 409, code: 'invalid_state' });

    const list = await customer.get(`/api/tasks/${task.id}/applications`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { executor: { id: number } }) => a.executor.id)).toEqual([executor.id, second.id]);
    expect(errorOf(await (await register('customer')).get(`/api/tasks/${task.id}/applications`))).toEqual({
      status: 403,
      code: 'forbidden',
    });

    const stranger = await register('executor');
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/assign`, { executorId: stranger.id }))).toEqual({
      status: 404,
      code: 'not_found',
    });
    const assigned = await customer.post(`/api/tasks/${task.id}/assign`, { executorId: second.id });
    expect(assigned.body).toMatchObject({ status: 'in_work', executor: { id: second.id, name: 'Ольга Вторая' } });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/assign`, { executorId: executor.id }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
  });

  it('never lets an executor apply to or be assigned a task of their own account', async () => {
    const task = await postTask(customer, { assignment: 'choose' });
    expect(errorOf(await (await customer.as('executor')).post(`/api/tasks/${task.id}/apply`))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/assign`, { executorId: customer.id }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });
});

describe('cancel', () => {
  it('refunds the held reward', async () => {
    const task = await postTask(customer, { reward: '300.00' });
    const cancelled = await customer.post(`/api/tasks/${task.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await expectMoney(customer, { balance: '1000.00', balanceHeld: '0.00' });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/cancel`))).toEqual({ status: 409, code: 'invalid_state' });
    await expectBooksBalanced();
  });
});

describe('admin freeze and unfreeze', () => {
  it('freezes an open task with its money held, and unfreezes it to the state it had', async () => {
    const boss = await admin();
    const task = await postTask(customer);
    await executor.post(`/api/tasks/${task.id}/take`);
    expect(errorOf(await customer.post(`/api/admin/tasks/${task.id}/freeze`, { comment: 'x' }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const frozen = await boss.post(`/api/admin/tasks/${task.id}/freeze`, { comment: 'Жалоба' });
    expect(frozen.body).toMatchObject({ status: 'frozen', comment: 'Жалоба' });
    expect(errorOf(await executor.post(`/api/tasks/${task.id}/submit`))).toEqual({ status: 409, code: 'invalid_state' });
    await expectMoney(customer, { balanceHeld: '100.00' });
    const thawed = await boss.post(`/api/admin/tasks/${task.id}/unfreeze`, { comment: 'Разобрались' });
    expect(thawed.body).toMatchObject({ status: 'in_work', executor: { id: executor.id } });
    expect(errorOf(await boss.post(`/api/admin/tasks/${task.id}/unfreeze`, { comment: 'again' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
  });
});

describe('reading tasks', () => {
  it('shows one task to anyone and lists my tasks by role with a status filter', async () => {
    const first = await postTask(customer);
    const second = await postTask(customer);
    await executor.post(`/api/tasks/${second.id}/take`);
    expect((await executor.get(`/api/tasks/${first.id}`)).body).toMatchObject({ id: first.id, status: 'actual' });
    expect(errorOf(await call('GET', '/api/tasks/987654321'))).toEqual({ status: 404, code: 'not_found' });
    const mine = await customer.get('/api/me/tasks');
    expect(mine.body.items.map((t: { id: number }) => t.id)).toEqual([second.id, first.id]);
    expect((await customer.get('/api/me/tasks?status=in_work')).body.items.map((t: { id: number }) => t.id)).toEqual([second.id]);
    expect((await executor.get('/api/me/tasks')).body.items.map((t: { id: number }) => t.id)).toEqual([second.id]);
    expect(errorOf(await customer.get('/api/me/tasks?status=lost'))).toEqual({ status: 400, code: 'validation_failed' });
  });
});
