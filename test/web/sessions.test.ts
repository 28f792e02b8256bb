// Sessions in the browser: one browser revokes another's session, and that one finds out on its
// next navigation or reload, lands on the login page, and comes back where it was after logging in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectLoggedIn,
  launchBrowser,
  loginInBrowser,
  openVisitor,
  screenshot,
  storedSession,
  testId,
  visit,
  type Visitor,
} from '../helpers/browser';
import { register } from '../helpers/users';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function loggedIn(email: string, password: string): Promise<Visitor & { sessionId: number }> {
  const visitor = await openVisitor(browser);
  await loginInBrowser(visitor.page, email, password, 'customer');
  const session = await storedSession(visitor.page);
  expect(session).not.toBeNull();
  return { ...visitor, sessionId: session!.sessionId };
}

describe('revoking a session from another browser', () => {
  it('logs the other browser out on its next reload or navigation', async () => {
    const account = await register('customer');
    const [keeper, reloader, navigator] = await Promise.all([
      loggedIn(account.email, account.password),
      loggedIn(account.email, account.password),
      loggedIn(account.email, account.password),
    ]);
    await visit(reloader.page, '/balance');
    await reloader.page.locator(testId('balance-stats')).waitFor();

    await visit(keeper.page, '/sessions');
    await keeper.page.locator(testId('session-row', `[data-session-id="${navigator.sessionId}"]`)).waitFor();
    expect(await keeper.page.locator(testId('session-row', `[data-session-id="${keeper.sessionId}"]`)).getAttribute('data-current')).toBe(
      'true',
    );
    await screenshot(keeper.page, 'sessions');

    for (const other of [reloader, navigator]) {
      const row = keeper.page.locator(testId('session-row', `[data-session-id="${other.sessionId}"]`));
      expect(await row.getAttribute('data-current')).toBe('false');
      await row.locator(testId('session-revoke')).click();
      await row.waitFor({ state: 'detached' });
    }
    await keeper.page.locator(testId('session-row', `[data-session-id="${keeper.sessionId}"]`)).waitFor();

    // A reload: the balance page's first call answers 401, and the site sends the user to log in and back.
    await reloader.page.reload();
    await reloader.page.waitForURL(/#\/login\?next=%2Fbalance/);
    await reloader.page.locator(testId('login-form')).waitFor();
    expect(await storedSession(reloader.page)).toBeNull();
    await reloader.page.locator(testId('nav-login')).waitFor();
    await screenshot(reloader.page, 'login-after-revoke');

    // A navigation inside the site, no reload.
    await navigator.page.locator(testId('nav-sessions')).click();
    await navigator.page.waitForURL(/#\/login\?next=%2Fsessions/);
    expect(await storedSession(navigator.page)).toBeNull();

    // Logging in again returns to the page the user was on.
    const form = reloader.page.locator(testId('login-form'));
    await form.locator(testId('input-email')).fill(account.email);
    await form.locator(testId('input-password')).fill(account.password);
    await form.locator(testId('login-form-submit')).click();
    await reloader.page.waitForURL(/#\/balance$/);
    await expectLoggedIn(reloader.page, 'customer');

    // The browser that revoked the others is still logged in.
    await keeper.page.reload();
    await keeper.page.locator(testId('session-row', `[data-session-id="${keeper.sessionId}"][data-current="true"]`)).waitFor();
    await expectLoggedIn(keeper.page, 'customer');
    for (const visitor of [keeper, reloader, navigator]) expect(visitor.problems).toEqual([]);
  });
});
