// Offers with a message, price and days (API v2, "Offers"), and assigning one adopts its terms.
import { describe, expect, it } from 'vitest';
import { query } from '../helpers/db';
import { errorOf } from '../helpers/http';
import { expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { theMail } from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { register } from '../helpers/users';

describe('offers', () => {
  it('carries message, price and days; the applicant changes or withdraws it; the customer lists them oldest first', async () => {
    const customer = await register('customer');
    const first = await register('executor', { fname: 'Анна', sname: 'Первая' });
    const second = await register('executor');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00', assignment: 'choose', title: 'Оффер' });
    const applied = await first.post(`/api/tasks/${task.id}/apply`, { message: 'Сделаю за три дня', price: '120', days: 3 });
    expect(applied.status).toBe(201);
    expect(applied.body).toEqual({
      id: expect.any(Number),
      executor: { id: first.id, name: 'Анна Первая', rating: null, reviews: 0 },
      message: 'Сделаю за три дня',
      price: '120.00',
      days: 3,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const plain = await second.post(`/api/tasks/${task.id}/apply`);
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ message: null, price: null, days: null });

    const changed = await first.put(`/api/tasks/${task.id}/application`, { message: null, price: '110.50', days: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: applied.body.id, message: null, price: '110.50', days: null });
    const told = await theMail(customer.email, 'Отклик на задание «Оффер» изменён');
    expect(told.text).toContain('110.50 ₽');
    expect(errorOf(await first.put(`/api/tasks/${task.id}/application`, { price: '1' }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(errorOf(await first.post(`/api/tasks/${task.id}/apply`, { days: 0 }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await first.post(`/api/tasks/${task.id}/apply`, { price: '0' }))).toEqual({ status: 400, code: 'validation_failed' });

    const list = await customer.get(`/api/tasks/${task.id}/applications`);
    expect(list.body.items.map((a: { id: number }) => a.id)).toEqual([applied.body.id, plain.body.id]);
    expect(list.body.items[0]).toEqual(changed.body);

    expect((await second.del(`/api/tasks/${task.id}/application`)).status).toBe(204);
    expect(errorOf(await second.del(`/api/tasks/${task.id}/application`))).toEqual({ status: 404, code: 'not_found' });
    expect((await customer.get(`/api/tasks/${task.id}/applications`)).body.items.map((a: { id: number }) => a.id)).toEqual([
      applied.body.id,
    ]);
    await theMail(customer.email, 'Отклик на задание «Оффер» отозван');
  });

  it("shows an executor its own offer on the task (myApplication), and no one else's", async () => {
    const customer = await register('customer');
    const applicant = await register('executor');
    const other = await register('executor');
    await topUp(customer, '110.00');
    const task = await postTask(customer, { reward: '100.00', assignment: 'choose' });
    const offer = await applicant.post(`/api/tasks/${task.id}/apply`, { message: 'Готов', price: '90', days: 2 });
    expect((await applicant.get(`/api/tasks/${task.id}`)).body.myApplication).toEqual(offer.body);
    expect((await other.get(`/api/tasks/${task.id}`)).body.myApplication).toBeNull();
    expect((await customer.get(`/api/tasks/${task.id}`)).body).not.toHaveProperty('myApplication');
    const asCustomer = await applicant.as('customer');
    expect((await asCustomer.get(`/api/tasks/${task.id}`)).body).not.toHaveProperty('myApplication');
    expect((await applicant.del(`/api/tasks/${task.id}/application`)).status).toBe(204);
    expect((await applicant.get(`/api/tasks/${task.id}`)).body.myApplication).toBeNull();
    const first = await postTask(customer, { reward: '10.00' });
    expect((await applicant.get(`/api/tasks/${first.id}`)).body).not.toHaveProperty('myApplication');
  });

  it("assigning by applicationId adopts a higher price (the difference held) and the offer's days", async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '200.00');
    const task = await postTask(customer, { reward: '100.00', assignment: 'choose' });
    const offer = await executor.post(`/api/tasks/${task.id}/apply`, { price: '150.00', days: 5 });
    const assigned = await customer.post(`/api/tasks/${task.id}/assign`, { applicationId: offer.body.id });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'in_work', reward: '150.00', days: 5, overdue: false, executor: { id: executor.id } });
    const dueIn = new Date(assigned.body.dueAt).getTime() - Date.now();
    expect(dueIn).toBeGreaterThan(5 * 86_400_000 - 120_000);
    expect(dueIn).toBeLessThan(5 * 86_400_000 + 120_000);
    await expectMoney(customer, { balance: '50.00', balanceHeld: '150.00' });
    const ledger = (await customer.get('/api/me/ledger')).body.items;
    // The difference is a hold of its own: one statement line, from the balance into held.
    expect(ledger[0]).toMatchObject({ kind: 'task_hold', taskId: task.id, effects: { balance: '-50.00', balanceHeld: '50.00' } });
    await executor.post(`/api/tasks/${task.id}/submit`);
    await customer.post(`/api/tasks/${task.id}/accept`);
    await expectMoney(executor, { salary: '135.00' });
    await expectBooksBalanced();
  });

  it('adopts a lower price by refunding the difference, and refuses a higher one it cannot pay with nothing changed', async () => {
    const customer = await register('customer');
    const cheap = await register('executor');
    const dear = await register('executor');
    await topUp(customer, '120.00');
    const task = await postTask(customer, { reward: '100.00', assignment: 'choose' });
    await cheap.post(`/api/tasks/${task.id}/apply`, { price: '80.00' });
    await dear.post(`/api/tasks/${task.id}/apply`, { price: '130.00' });
    const refused = await customer.post(`/api/tasks/${task.id}/assign`, { executorId: dear.id });
    expect(errorOf(refused)).toEqual({ status: 409, code: 'insufficient_funds' });
    expect((await customer.get(`/api/tasks/${task.id}`)).body).toMatchObject({ status: 'actual', reward: '100.00', executor: null });
    await expectMoney(customer, { balance: '20.00', balanceHeld: '100.00' });
    const assigned = await customer.post(`/api/tasks/${task.id}/assign`, { executorId: cheap.id });
    expect(assigned.body).toMatchObject({ status: 'in_work', reward: '80.00', days: null, dueAt: null });
    await expectMoney(customer, { balance: '40.00', balanceHeld: '80.00' });
    const [refund] = await query('primary', "SELECT COUNT(*) AS n FROM ledger_movement WHERE task_id = ? AND kind = 'task_refund'", [
      task.id,
    ]);
    expect(Number(refund.n)).toBe(1);
    // Offers close with the task.
    expect(errorOf(await dear.put(`/api/tasks/${task.id}/application`, { message: 'ну пожалуйста', price: null, days: null }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    await expectBooksBalanced();
  });
});
