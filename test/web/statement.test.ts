// The statement's CSV from the balance page, in a real browser: the period is chosen on the page,
// the file comes with the bearer token (fetched, then saved through an object URL) under the
// server's name, and it is what a Russian spreadsheet opens as is: a BOM, `;`, decimal commas.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openVisitor, screenshot, testId, visit } from '../helpers/browser';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { register } from '../helpers/users';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

describe('the statement as CSV', () => {
  it('downloads the chosen days of the ledger from the balance page, with a BOM and one line per movement', async () => {
    const customer = await register('customer');
    await topUp(customer, '300.00');
    const task = await postTask(customer, { reward: '120.50' });
    const visitor = await openVisitor(browser);
    const { page, context } = visitor;
    const me = (await customer.get('/api/me')).body;
    await context.addInitScript(
      (stored) => localStorage.setItem('execorder.session', stored),
      JSON.stringify({
        token: customer.token,
        sessionId: 0,
        role: 'customer',
        accountId: customer.id,
        name: `${me.fname} ${me.sname}`,
      }),
    );

    await visit(page, '/balance');
    const form = page.locator(testId('statement-form'));
    // A period that ends before the first day is refused on the page, before any request.
    await form.locator(testId('input-statement-from')).fill('2026-02-01');
    await form.locator(testId('input-statement-to')).fill('2026-01-01');
    await form.locator(testId('statement-form-submit')).click();
    await form.locator(testId('field-error-to')).waitFor();

    const today = utcDay(new Date());
    const yesterday = utcDay(new Date(Date.now() - 86_400_000));
    await form.locator(testId('input-statement-from')).fill(yesterday);
    await form.locator(testId('input-statement-to')).fill(today);
    await screenshot(page, 'statement-form');
    const [download] = await Promise.all([page.waitForEvent('download'), form.locator(testId('statement-form-submit')).click()]);
    expect(download.suggestedFilename()).toBe(`execorder-customer-${yesterday}-${today}.csv`);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('Дата и время (UTC);Операция;Вид;Задание;Платёж;Выплата;Баланс, ₽;Удержано с баланса, ₽');
    // Oldest first: the top-up, then the hold of the task's reward, each one line with both buckets.
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/;topup;;\d+;;300,00;0,00$/);
    expect(lines[2]).toMatch(new RegExp(`;task_hold;${task.id};;;-120,50;120,50$`));
    await page.locator(testId('toast')).waitFor();
    expect(visitor.problems).toEqual([]);
  });
});
