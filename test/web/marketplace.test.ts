// The whole money path through the site, in a real browser: a customer tops up on the local
// Robokassa page and posts a task; an executor takes and submits it; the customer accepts; the
// executor asks for a payout and the admin approves it. Each step builds on the one before.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commissionOf, formatMoney, toKopecks } from '../../shared/money/kopecks';
import {
  findInList,
  launchBrowser,
  loginInBrowser,
  openVisitor,
  registerInBrowser,
  screenshot,
  testId,
  visit,
  waitForAmount,
  waitForAmountOf,
  type Visitor,
} from '../helpers/browser';
import { stack } from '../helpers/http';
import { apiConfig, expectBooksBalanced } from '../helpers/money';

const REWARD = '500.00';
const EARNED = formatMoney(toKopecks(REWARD) - commissionOf(toKopecks(REWARD), apiConfig.COMMISSION_PERCENT));

let browser: Browser;
let customer: Visitor;
let executor: Visitor;
let admin: Visitor;
let title: string;
let taskId: number;
let payoutId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  [customer, executor, admin] = await Promise.all([openVisitor(browser), openVisitor(browser), openVisitor(browser)]);
});

afterAll(async () => {
  await browser?.close();
});

describe.sequential('a task from top-up to payout, in the browser', () => {
  it('a customer registers, tops up 1000 ₽ through the Robokassa page and creates a task', async () => {
    const { page } = customer;
    await registerInBrowser(page, 'customer', 'Анна', 'Заказчикова');
    await page.locator(testId('nav-balance')).click();
    await waitForAmount(page, 'balance-value', '0.00');
    await screenshot(page, 'balance-empty');

    await page.locator(testId('input-amount')).fill('1000');
    await page.locator(testId('topup-form-submit')).click();
    await page.waitForURL((url) => url.href.startsWith(stack.urls.robokassa));
    expect(await page.locator(testId('robokassa-amount')).getAttribute('data-amount')).toBe('1000.000000');
    await screenshot(page, 'robokassa-page');
    await page.locator(testId('robokassa-pay')).click();

    await page.waitForURL(/#\/balance\?payment=success/);
    expect(new URL(page.url()).origin).toBe(stack.urls.site);
    await page.locator(testId('payment-returned')).waitFor();
    // Credited before the redirect, but read from the replica: the page looks again by itself.
    await waitForAmount(page, 'balance-value', '1000.00');
    await page.locator(testId('payments-list-items')).locator(testId('payment-row', '[data-status="received"]')).waitFor();
    await screenshot(page, 'balance-topped-up');

    await page.locator(testId('nav-new-task')).click();
    await waitForAmount(page, 'balance-value', '1000.00');
    title = `Перевести договор ${Date.now()}`;
    const form = page.locator(testId('new-task-form'));
    await form.locator(testId('input-title')).fill(title);
    await form.locator(testId('input-description')).fill('Две страницы с английского на русский, к пятнице.');
    await form.locator(testId('input-reward')).fill('500');
    await form.locator(testId('input-categoryId')).selectOption({ index: 1 });
    await form.locator(testId('input-assignment-first')).check();
    await screenshot(page, 'new-task');
    await form.locator(testId('new-task-form-submit')).click();

    await page.waitForURL(/#\/tasks\/\d+$/);
    taskId = Number(/#\/tasks\/(\d+)$/.exec(page.url())![1]);
    await page.locator(testId('task-actions', '[data-status="actual"]')).waitFor();
    expect(await page.locator(testId('task-page-title')).textContent()).toBe(title);
    await waitForAmount(page, 'task-reward', REWARD);

    await page.locator(testId('nav-balance')).click();
    await waitForAmount(page, 'balance-value', '500.00');
    await waitForAmount(page, 'balance-held-value', REWARD);
  });

  it('an executor registers, finds the task in the feed, takes it and submits it', async () => {
    const { page } = executor;
    await registerInBrowser(page, 'executor', 'Пётр', 'Исполнителев');
    await page.locator(testId('nav-feed')).click();
    const card = await findInList(page, 'feed-list', testId('task-card', `[data-task-id="${taskId}"]`));
    expect(await card.locator(testId('task-title')).textContent()).toBe(title);
    expect(await card.locator(testId('task-reward')).getAttribute('data-amount')).toBe(REWARD);
    await screenshot(page, 'feed');
    await card.locator(testId('task-title')).click();

    await page.waitForURL(new RegExp(`#/tasks/${taskId}$`));
    await page.locator(testId('task-take')).click();
    await page.locator(testId('task-actions', '[data-status="in_work"]')).waitFor();
    expect(await page.locator(testId('task-executor')).textContent()).toBe('Пётр Исполнителев');
    await screenshot(page, 'task-in-work');

    await page.locator(testId('task-submit')).click();
    await page.locator(testId('task-submit-comment')).fill('Готово, перевод во вложении.');
    await page.locator(testId('task-submit-submit')).click();
    await page.locator(testId('task-actions', '[data-status="review"]')).waitFor();
  });

  it('the customer accepts; the executor earns the reward less commission, asks for a payout, and the admin approves it', async () => {
    await visit(customer.page, `/tasks/${taskId}`);
    await customer.page.locator(testId('task-accept')).click();
    await customer.page.locator(testId('task-actions', '[data-status="done"]')).waitFor();
    await screenshot(customer.page, 'task-done');

    const { page } = executor;
    await visit(page, '/salary');
    await waitForAmountOf(page, 'salary-value', EARNED);
    const form = page.locator(testId('payout-form'));
    await form.locator(testId('input-amount')).fill(EARNED);
    await form.locator(testId('input-method-sbp')).check();
    await form.locator(testId('input-destination')).pressSequentially('89001234567');
    // The phone mask shows the number as it is read aloud; the contract gets +7 and 10 digits.
    expect(await form.locator(testId('input-destination')).inputValue()).toBe('+7 (900) 123-45-67');
    await form.locator(testId('input-bank')).fill('Т-Банк');
    await form.locator(testId('payout-form-submit')).click();
    const requested = page.locator(testId('payouts-list-items')).locator(testId('payout-row', '[data-status="created"]'));
    await requested.waitFor();
    payoutId = (await requested.getAttribute('data-payout-id'))!;
    await waitForAmount(page, 'payout-amount', EARNED);
    await waitForAmount(page, 'salary-value', '0.00');
    await waitForAmount(page, 'salary-held-value', EARNED);
    await screenshot(page, 'salary-payout-requested');

    await loginInBrowser(admin.page, stack.env.ADMIN_EMAIL!, stack.env.ADMIN_PASSWORD!, 'admin');
    await visit(admin.page, '/admin/payouts?status=created');
    const row = await findInList(admin.page, 'admin-payouts-list', testId('payout-row', `[data-payout-id="${payoutId}"]`));
    expect(await row.locator(testId('payout-destination')).textContent()).toContain('+79001234567');
    await screenshot(admin.page, 'admin-payouts');
    await row.locator(testId('payout-approve')).click();
    await admin.page.locator(testId('payout-row', `[data-payout-id="${payoutId}"][data-status="received"]`)).waitFor();
  });

  it('both see the payout in their history', async () => {
    const { page } = executor;
    await page.reload();
    await page
      .locator(testId('payouts-list-items'))
      .locator(testId('payout-row', `[data-payout-id="${payoutId}"][data-status="received"]`))
      .waitFor();
    await waitForAmountOf(page, 'salary-held-value', '0.00');
    await findInList(page, 'ledger-list', testId('ledger-row', '[data-kind="payout_paid"]'));
    await screenshot(page, 'salary-paid');

    await visit(admin.page, '/admin/payouts?status=received');
    await findInList(admin.page, 'admin-payouts-list', testId('payout-row', `[data-payout-id="${payoutId}"][data-status="received"]`));

    // The customer's ledger tells the task's side of the story.
    await visit(customer.page, '/balance');
    await waitForAmount(customer.page, 'balance-held-value', '0.00');
    await findInList(customer.page, 'ledger-list', testId('ledger-row', '[data-kind="task_payment"]'));

    for (const visitor of [customer, executor, admin]) expect(visitor.problems).toEqual([]);
    await expectBooksBalanced();
  });
});
