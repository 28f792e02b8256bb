// Deals through the site, in a real browser (API v2: offers, deadlines, disputes): the flow under
// test is driven through the page; what comes before it is set up through the API.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { commissionOf, formatMoney, toKopecks } from '../../shared/money/kopecks';
import { browserPerFile, loginInBrowser, screenshot, testId, visit } from '../helpers/browser';
import { query } from '../helpers/db';
import { doneTask } from '../helpers/earn';
import { apiConfig, expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

// A flow is several people in several browsers: minutes on a busy machine.
const FLOW_TIMEOUT = 180_000;

const browser = browserPerFile();

/** A browser of its own for this person, logged in through the login form, then (for a phone) narrowed to `width`. */
async function browse(person: Person, width?: number): Promise<Page> {
  const visitor = await browser.open();
  // The login helper reads who is logged in from the header, which a phone folds behind "Меню".
  await loginInBrowser(visitor.page, person.email, person.password, person.role);
  if (width) await visitor.page.setViewportSize({ width, height: 800 });
  return visitor.page;
}

/**
 * Opens the route until `selector` shows: another person's change reaches this reader's replica a
 * moment later, and the page does not poll.
 */
async function openUntil(page: Page, route: string, selector: string): Promise<void> {
  await visit(page, route);
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator(selector).first().waitFor({ timeout: 2_000 });
      return;
    } catch (err) {
      if (attempt === 5) throw err;
      await page.reload();
    }
  }
}

/** Nothing sticks out sideways on a narrow screen (the site works from 360 px up). */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

const amountOf = (page: Page, id: string) => page.locator(testId(id)).first().getAttribute('data-amount');
const earned = (amount: string) => formatMoney(toKopecks(amount) - commissionOf(toKopecks(amount), apiConfig.COMMISSION_PERCENT));

/** A customer with `money` on the balance, an executor, and the customer's task taken (and submitted) by that executor. */
async function dealInWork(o: { money: string; reward: string; submitted?: boolean }) {
  const customer = await register('customer', { fname: 'Ольга', sname: 'Заказова' });
  const executor = await register('executor', { fname: 'Игорь', sname: 'Делов' });
  await topUp(customer, o.money);
  const task = await postTask(customer, { reward: o.reward, title: `Спорная вёрстка ${Date.now()}` });
  expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
  if (o.submitted) expect((await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'Готово' })).status).toBe(200);
  return { customer, executor, taskId: task.id as number };
}

describe('offers', () => {
  it(
    'an executor offers a price, term and message, changes it; the customer sees the ratings and assigns at the higher price',
    async () => {
      const customer = await register('customer', { fname: 'Мария', sname: 'Выбирающая' });
      const rated = await register('executor', { fname: 'Анна', sname: 'Опытная' });
      const newcomer = await register('executor', { fname: 'Борис', sname: 'Новичок' });
      // Anna has one published review (4 stars) from an earlier task.
      const earlier = await register('customer');
      await topUp(earlier, '50.00');
      const done = await doneTask(earlier, rated, '50.00');
      expect((await earlier.post(`/api/tasks/${done.id}/review`, { rating: 4, text: 'Хорошо' })).status).toBe(201);
      expect((await rated.post(`/api/tasks/${done.id}/review`, { rating: 5, text: 'Спасибо' })).status).toBe(201);

      await topUp(customer, '300.00');
      const task = await postTask(customer, { reward: '100.00', assignment: 'choose', title: 'Логотип для пекарни' });
      expect((await newcomer.post(`/api/tasks/${task.id}/apply`, { price: '80.00' })).status).toBe(201);

      const annaPage = await browse(rated);
      await visit(annaPage, `/tasks/${task.id}`);
      const form = annaPage.locator(testId('offer-form'));
      await form.locator(testId('input-price')).fill('150');
      await form.locator(testId('input-days')).fill('3');
      await form.locator(testId('input-message')).fill('Сделаю три варианта.');
      await form.locator(testId('task-apply')).click();
      await annaPage.locator(testId('my-offer')).waitFor();
      // The offer is the server's: it is still there after a reload, and can be changed.
      await annaPage.reload();
      const mine = annaPage.locator(testId('my-offer'));
      expect(await mine.locator(testId('offer-price')).getAttribute('data-amount')).toBe('150.00');
      expect(await mine.locator(testId('offer-days')).textContent()).toBe('3 дня');
      await mine.locator(testId('offer-change')).click();
      await mine.locator(testId('input-price')).fill('140,00');
      await mine.locator(testId('offer-form-submit')).click();
      await annaPage.locator(testId('my-offer', ' [data-testid="offer-price"][data-amount="140.00"]')).waitFor();
      expect(await annaPage.locator(testId('offer-message')).textContent()).toBe('Сделаю три варианта.');
      await screenshot(annaPage, 'deals-offer-mine');

      const page = await browse(customer, 360);
      await openUntil(page, `/tasks/${task.id}`, testId('application-row', `[data-executor-id="${rated.id}"] [data-amount="140.00"]`));
      const rows = page.locator(testId('application-row'));
      expect(await rows.count()).toBe(2);
      const anna = page.locator(testId('application-row', `[data-executor-id="${rated.id}"]`));
      const boris = page.locator(testId('application-row', `[data-executor-id="${newcomer.id}"]`));
      expect(await anna.locator(testId('application-rating')).textContent()).toBe('★ 4,00 · 1 отзыв');
      expect(await boris.locator(testId('application-rating')).textContent()).toBe('нет оценок');
      expect(await anna.locator(testId('offer-effect')).textContent()).toContain('дополнительно удержано 40,00');
      expect(await boris.locator(testId('offer-effect')).textContent()).toContain('20,00');
      await expectNoSidewaysScroll(page);
      await screenshot(page, 'deals-offers');

      await anna.locator(testId('application-choose')).click();
      await anna.locator(testId('application-choose-confirm')).click();
      await page.locator(testId('task-actions', '[data-status="in_work"]')).waitFor();
      expect(await amountOf(page, 'task-reward')).toBe('140.00');
      expect(await page.locator(testId('task-executor')).textContent()).toBe('Анна Опытная');
      const dueAt = await page.locator(testId('task-due')).getAttribute('data-due-at');
      expect(new Date(dueAt!).getTime() - Date.now()).toBeGreaterThan(3 * 86_400_000 - 300_000);
      await expectMoney(customer, { balance: '160.00', balanceHeld: '140.00' });
      await expectBooksBalanced();
    },
    FLOW_TIMEOUT,
  );
});

describe('deadlines', () => {
  it(
    'a task posted with a term shows its due date; overdue in "my tasks" and on the page; extended; overdue again and cancelled with a full refund',
    async () => {
      const customer = await register('customer');
      const executor = await register('executor');
      await topUp(customer, '200.00');
      const page = await browse(customer);
      await visit(page, '/tasks/new');
      const form = page.locator(testId('new-task-form'));
      await form.locator(testId('input-title')).fill('Сайт к выставке');
      await form.locator(testId('input-description')).fill('Одна страница.');
      await form.locator(testId('input-reward')).fill('120');
      await form.locator(testId('input-categoryId')).selectOption({ index: 1 });
      await form.locator(testId('input-days')).fill('2');
      await form.locator(testId('new-task-form-submit')).click();
      await page.waitForURL(/#\/tasks\/\d+$/);
      const taskId = Number(/#\/tasks\/(\d+)$/.exec(page.url())![1]);
      await page.locator(testId('task-actions', '[data-status="actual"]')).waitFor();
      expect(await page.locator(testId('task-due')).textContent()).toBe('2 дня с начала работы');

      expect((await executor.post(`/api/tasks/${taskId}/take`)).status).toBe(200);
      await query('primary', 'UPDATE task SET due_at = NOW(3) - INTERVAL 10 MINUTE WHERE id = ?', [taskId]);
      await openUntil(page, '/my/tasks', testId('task-card', `[data-task-id="${taskId}"] [data-testid="task-overdue"]`));
      await screenshot(page, 'deals-my-tasks-overdue');

      await visit(page, `/tasks/${taskId}`);
      await page.locator(testId('task-overdue')).waitFor();
      await page.locator(testId('overdue-notice')).waitFor();
      await page.locator(testId('task-extend')).click();
      const extend = page.locator(testId('extend-form'));
      await extend.locator(testId('input-days')).fill('3');
      await extend.locator(testId('input-comment')).fill('Ещё три дня');
      await extend.locator(testId('extend-form-submit')).click();
      await page.locator(testId('task-history-card', ' [data-action="extend"]')).waitFor();
      expect(await page.locator(testId('task-overdue')).count()).toBe(0);
      const dueAt = await page.locator(testId('task-due')).getAttribute('data-due-at');
      expect(new Date(dueAt!).getTime() - Date.now()).toBeGreaterThan(3 * 86_400_000 - 300_000);
      expect(await page.locator(testId('task-cancel')).count()).toBe(0);

      await query('primary', 'UPDATE task SET due_at = NOW(3) - INTERVAL 1 MINUTE WHERE id = ?', [taskId]);
      await page.reload();
      await page.locator(testId('task-cancel')).click();
      await page.locator(testId('task-cancel-confirm')).click();
      await page.locator(testId('task-actions', '[data-status="cancelled"]')).waitFor();
      await expectMoney(customer, { balance: '200.00', balanceHeld: '0.00' });
      await expectBooksBalanced();
    },
    FLOW_TIMEOUT,
  );
});

const REASON = 'Половина страниц не свёрстана <img src=x onerror="document.title=1">';

describe('disputes', () => {
  it(
    'the customer opens one, the executor counters, the admin decides from the queue with the history; both see the split',
    async () => {
      const { customer, executor, taskId } = await dealInWork({ money: '100.00', reward: '100.00', submitted: true });
      const customerPage = await browse(customer);
      await visit(customerPage, `/tasks/${taskId}`);
      await customerPage.locator(testId('dispute-open')).click();
      const open = customerPage.locator(testId('dispute-open-form'));
      await open.locator(testId('input-executorAmount')).fill('101');
      await open.locator(testId('dispute-open-form-submit')).click();
      await open.locator(testId('field-error-executorAmount')).waitFor();
      await open.locator(testId('input-reason')).fill(REASON);
      await open.locator(testId('input-executorAmount')).fill('30');
      await open.locator(testId('dispute-open-form-submit')).click();
      await customerPage.locator(testId('task-actions', '[data-status="disputed"]')).waitFor();
      const panel = customerPage.locator(testId('dispute-panel'));
      await panel.locator(testId('dispute-status', '[data-status="awaiting_response"]')).waitFor();
      const respondBy = panel.locator(testId('dispute-respond-by'));
      expect(await respondBy.textContent()).toMatch(/^Ответить до .+ · осталось (3 д 0 ч|2 д 23 ч)$/);
      const answerWithin = new Date((await respondBy.getAttribute('data-respond-by'))!).getTime() - Date.now();
      expect(Math.abs(answerWithin - apiConfig.DISPUTE_RESPONSE_HOURS * 3_600_000)).toBeLessThan(300_000);
      expect(await panel.locator(testId('dispute-waiting')).count()).toBe(1);
      expect(await panel.locator(testId('dispute-agree')).count()).toBe(0);
      await screenshot(customerPage, 'deals-dispute-opened');

      const executorPage = await browse(executor, 360);
      await openUntil(executorPage, `/tasks/${taskId}`, testId('dispute-agree'));
      expect(await executorPage.locator(testId('dispute-proposal-customer', ' .money')).getAttribute('data-amount')).toBe('30.00');
      // The reason is the customer's own text: shown as text, never as markup.
      expect(await executorPage.locator(testId('dispute-reason')).textContent()).toBe(REASON);
      expect(await executorPage.locator(testId('dispute-panel', ' img')).count()).toBe(0);
      await executorPage.locator(testId('dispute-counter')).click();
      await expectNoSidewaysScroll(executorPage);
      await screenshot(executorPage, 'deals-dispute-phone');
      const counter = executorPage.locator(testId('dispute-counter-form'));
      await counter.locator(testId('input-executorAmount')).fill('70');
      await counter.locator(testId('input-comment')).fill('Свёрстано больше половины');
      await counter.locator(testId('dispute-counter-form-submit')).click();
      await executorPage.locator(testId('dispute-status', '[data-status="awaiting_admin"]')).waitFor();
      expect(await executorPage.locator(testId('dispute-withdraw')).count()).toBe(0);

      const adminPage = await browse(await admin());
      await adminPage.locator(testId('nav-admin-disputes')).click();
      const row = adminPage
        .locator(testId('dispute-row', `[data-status="awaiting_admin"]`))
        .filter({ has: adminPage.locator(`a[href="#/tasks/${taskId}"]`) });
      await row.waitFor();
      await row.locator(testId('dispute-decide')).click();
      const history = row.locator(testId('task-history'));
      await history.waitFor();
      expect(await history.locator(testId('history-item')).evaluateAll((items) => items.map((i) => i.getAttribute('data-action')))).toEqual(
        ['take', 'submit', 'dispute_opened', 'dispute_answered'],
      );
      expect(await history.textContent()).toContain('Свёрстано больше половины');
      await screenshot(adminPage, 'deals-admin-disputes');
      const decide = row.locator(testId('decide-form'));
      await decide.locator(testId('input-executorAmount')).fill('50');
      await decide.locator(testId('input-comment')).fill('Сделана половина работы');
      await decide.locator(testId('decide-form-submit')).click();
      const decided = adminPage
        .locator(testId('dispute-row', '[data-status="resolved"]'))
        .filter({ has: adminPage.locator(`a[href="#/tasks/${taskId}"]`) });
      await decided.waitFor();
      expect(await decided.locator(testId('dispute-executor-amount')).getAttribute('data-amount')).toBe('50.00');

      for (const page of [customerPage, executorPage]) {
        await openUntil(page, `/tasks/${taskId}`, testId('dispute-outcome', '[data-by="admin"]'));
        expect(await page.locator(testId('task-actions')).getAttribute('data-status')).toBe('done');
        expect(await amountOf(page, 'dispute-executor-amount')).toBe('50.00');
        expect(await amountOf(page, 'dispute-executor-earned')).toBe(earned('50.00'));
        expect(await amountOf(page, 'dispute-customer-refund')).toBe('50.00');
        expect(await page.locator(testId('dispute-comment')).textContent()).toBe('Сделана половина работы');
      }
      await screenshot(customerPage, 'deals-dispute-outcome');
      await expectMoney(customer, { balance: '50.00', balanceHeld: '0.00' });
      await expectMoney(executor, { salary: earned('50.00') });
      await expectBooksBalanced();
    },
    FLOW_TIMEOUT,
  );

  it(
    'the executor opens one, withdraws it, opens another; the customer agrees and the split is settled',
    async () => {
      const { customer, executor, taskId } = await dealInWork({ money: '200.00', reward: '200.00', submitted: true });
      const executorPage = await browse(executor);
      const openWith = async (amount: string): Promise<void> => {
        await executorPage.locator(testId('dispute-open')).click();
        const form = executorPage.locator(testId('dispute-open-form'));
        await form.locator(testId('input-reason')).fill('Работа сдана, ответа нет');
        await form.locator(testId('input-executorAmount')).fill(amount);
        await form.locator(testId('dispute-open-form-submit')).click();
        await executorPage.locator(testId('task-actions', '[data-status="disputed"]')).waitFor();
      };
      await visit(executorPage, `/tasks/${taskId}`);
      await openWith('200');
      await executorPage.locator(testId('dispute-withdraw')).click();
      await executorPage.locator(testId('dispute-withdraw-confirm')).click();
      await executorPage.locator(testId('task-actions', '[data-status="review"]')).waitFor();
      await executorPage.locator(testId('dispute-withdrawn')).waitFor();
      await openWith('150,50');

      const customerPage = await browse(customer);
      await openUntil(customerPage, `/tasks/${taskId}`, testId('dispute-agree'));
      expect(await customerPage.locator(testId('dispute-agree')).textContent()).toContain('150,50');
      await customerPage.locator(testId('dispute-agree')).click();
      await customerPage.locator(testId('dispute-outcome', '[data-by="agreement"]')).waitFor();
      expect(await customerPage.locator(testId('task-actions')).getAttribute('data-status')).toBe('done');
      expect(await amountOf(customerPage, 'dispute-executor-amount')).toBe('150.50');
      expect(await amountOf(customerPage, 'dispute-executor-earned')).toBe(earned('150.50'));
      expect(await amountOf(customerPage, 'dispute-customer-refund')).toBe('49.50');
      await expectMoney(customer, { balance: '49.50', balanceHeld: '0.00' });
      await expectMoney(executor, { salary: earned('150.50') });
      await expectBooksBalanced();
    },
    FLOW_TIMEOUT,
  );
});
