// User text is never HTML: a task whose title and description are markup shows them as text, and
// no script runs and no element is made from them, wherever the task appears.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginInBrowser, openVisitor, screenshot, testId, visit, findInList, type Visitor } from '../helpers/browser';
import { topUp } from '../helpers/money';
import { register } from '../helpers/users';

const TITLE = '<img src=x onerror=alert(1)>';
const DESCRIPTION = '<script>alert(2)</script><b onmouseover=alert(3)>жирный</b> & <svg onload=alert(4)>';

let browser: Browser;
const dialogs: string[] = [];

/** Counts every element made from markup the page did not ship, even one removed right away. */
async function watchForInjectedElements(visitor: Visitor): Promise<void> {
  visitor.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await visitor.context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { injected: string[] }).injected = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          for (const el of [node, ...node.querySelectorAll('*')]) {
            // The site's own bundle is the one script the parser adds.
            if (el.matches('script[type="module"][src^="assets/"]')) continue;
            if (['IMG', 'SCRIPT', 'B', 'svg'].includes(el.tagName)) seen.push(el.outerHTML);
          }
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

const injected = (visitor: Visitor) => visitor.page.evaluate(() => (window as unknown as { injected: string[] }).injected);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('a task whose title is markup', () => {
  it('shows as text on the form, the task page, the feed and my tasks, and runs nothing', async () => {
    const customer = await register('customer', { fname: '<i>Ева</i>', sname: '"Кавычкина"' });
    await topUp(customer, '100.00');
    const visitor = await openVisitor(browser);
    await watchForInjectedElements(visitor);
    const { page } = visitor;
    const failedImages: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/x')) failedImages.push(request.url());
    });

    await loginInBrowser(page, customer.email, customer.password, 'customer');
    await visit(page, '/tasks/new');
    const form = page.locator(testId('new-task-form'));
    await form.locator(testId('input-title')).fill(TITLE);
    await form.locator(testId('input-description')).fill(DESCRIPTION);
    await form.locator(testId('input-reward')).fill('50');
    await form.locator(testId('input-categoryId')).selectOption({ index: 1 });
    await form.locator(testId('new-task-form-submit')).click();
    await page.waitForURL(/#\/tasks\/\d+$/);
    const taskId = /#\/tasks\/(\d+)$/.exec(page.url())![1];

    expect(await page.locator(testId('task-page-title')).textContent()).toBe(TITLE);
    expect(await page.locator(testId('task-description')).textContent()).toBe(DESCRIPTION);
    expect(await page.locator(testId('task-customer')).textContent()).toBe('<i>Ева</i> "Кавычкина"');
    await screenshot(page, 'xss-task');

    await visit(page, '/feed');
    const card = await findInList(page, 'feed-list', testId('task-card', `[data-task-id="${taskId}"]`));
    expect(await card.locator(testId('task-title')).textContent()).toBe(TITLE);
    await screenshot(page, 'xss-feed');

    await visit(page, '/my/tasks');
    const mine = await findInList(page, 'my-tasks-list', testId('task-card', `[data-task-id="${taskId}"]`));
    expect(await mine.locator(testId('task-title')).textContent()).toBe(TITLE);

    // A guest, in a fresh context, opening the task by its link.
    const guest = await openVisitor(browser);
    await watchForInjectedElements(guest);
    await visit(guest.page, `/tasks/${taskId}`);
    expect(await guest.page.locator(testId('task-page-title')).textContent()).toBe(TITLE);

    expect(dialogs).toEqual([]);
    expect(failedImages).toEqual([]);
    expect(await injected(visitor)).toEqual([]);
    expect(await injected(guest)).toEqual([]);
    expect(await page.locator('img, script:not([src])').count()).toBe(0);
    expect(visitor.problems).toEqual([]);
    expect(guest.problems).toEqual([]);
  });
});
