// A real browser for the site's tests: Debian's Chromium driven by playwright-core (its own browser
// download cannot work here), one fresh context per person, against the test stack's site.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { stack } from './http';
import { uniqueEmail, type Role } from './users';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

export const site = stack.urls.site;

/**
 * One browser per test file; each person gets a context of their own (own storage, own session).
 * `scrollbars`: classic scrollbars that take room, as on a desktop (headless hides them).
 */
export function launchBrowser(o: { scrollbars?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: o.scrollbars ? ['--hide-scrollbars'] : undefined,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Visitor {
  context: BrowserContext;
  page: Page;
  /** Uncaught script errors on the page, and requests that left this machine: both should stay empty. */
  problems: string[];
}

export async function openVisitor(browser: Browser, o: { width?: number } = {}): Promise<Visitor> {
  const context = await browser.newContext({
    baseURL: site,
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
    viewport: { width: o.width ?? 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  context.on('request', (request) => {
    const { hostname, protocol } = new URL(request.url());
    if (protocol.startsWith('http') && hostname !== '127.0.0.1' && hostname !== 'localhost')
      problems.push(`external request: ${request.url()}`);
  });
  return { context, page, problems };
}

/**
 * One browser for a test file whose flows open many visitors (its hooks are registered here), and
 * every visitor opened through `open` checked when the file ends: no page error, nothing fetched
 * from outside this machine.
 */
export function browserPerFile(): { open(o?: { width?: number }): Promise<Visitor> } {
  let browser: Browser | undefined;
  const visitors: Visitor[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const visitor of visitors) expect(visitor.problems).toEqual([]);
    await browser?.close();
  });
  return {
    async open(o = {}) {
      const visitor = await openVisitor(browser!, o);
      visitors.push(visitor);
      return visitor;
    },
  };
}

export const testId = (id: string, extra = ''): string => `[data-testid="${id}"]${extra}`;

/** Opens a route of the site's hash router, e.g. `/balance`. */
export async function visit(page: Page, route: string): Promise<void> {
  await page.goto(`/#${route}`);
}

/** Overwritten on every run; the folder is git-ignored. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits for the element with this test id to show this amount (`data-amount`, the contract's string). */
export async function waitForAmount(page: Page, id: string, amount: string): Promise<void> {
  await page
    .locator(testId(id, `[data-amount="${amount}"]`))
    .first()
    .waitFor();
}

/**
 * Like waitForAmount, for a change another person (or Robokassa) made: their write reaches this
 * reader's replica a moment later, and the page does not poll, so it is reloaded a few times.
 */
export async function waitForAmountOf(page: Page, id: string, amount: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page
        .locator(testId(id, `[data-amount="${amount}"]`))
        .first()
        .waitFor({ timeout: 2_000 });
      return;
    } catch (err) {
      if (attempt === 5) {
        const shown = await page
          .locator(testId(id))
          .first()
          .getAttribute('data-amount')
          .catch(() => null);
        throw new Error(`${id} shows ${shown}, not ${amount}: ${(err as Error).message}`);
      }
      await page.reload();
    }
  }
}

/** The row of a paged list with this selector, pressing "load more" until it appears. */
export async function findInList(page: Page, list: string, row: string): Promise<Locator> {
  const container = page.locator(testId(list));
  const target = container.locator(row);
  const more = container.locator(testId('load-more'));
  await container.waitFor();
  for (;;) {
    await container.locator('.list__status').locator(testId('loading')).waitFor({ state: 'detached' });
    if ((await target.count()) > 0) return target.first();
    if (!(await more.isVisible())) throw new Error(`${row} is not in ${list}`);
    await more.click();
  }
}

export interface BrowserPerson {
  email: string;
  password: string;
  name: string;
}

/** Registers through the form, which logs the new account in with the role chosen there. */
export async function registerInBrowser(page: Page, role: 'customer' | 'executor', fname: string, sname: string): Promise<BrowserPerson> {
  const person = { email: uniqueEmail(`web-${role}`), password: 'correct horse battery', name: `${fname} ${sname}` };
  await visit(page, '/register');
  const form = page.locator(testId('register-form'));
  await form.locator(testId('input-fname')).fill(fname);
  await form.locator(testId('input-sname')).fill(sname);
  await form.locator(testId('input-email')).fill(person.email);
  await form.locator(testId('input-phone')).fill('+7 900 123-45-67');
  await form.locator(testId('input-password')).fill(person.password);
  await form.locator(testId(`input-role-${role}`)).check();
  // The two separate consents (152-FZ), as a person ticks them.
  await form.locator(testId('input-consent-terms')).check();
  await form.locator(testId('input-consent-personal-data')).check();
  await form.locator(testId('register-form-submit')).click();
  await expectLoggedIn(page, role, person.name);
  return person;
}

export async function loginInBrowser(page: Page, email: string, password: string, role: Role): Promise<void> {
  await visit(page, '/login');
  const form = page.locator(testId('login-form'));
  await form.locator(testId('input-email')).fill(email);
  await form.locator(testId('input-password')).fill(password);
  await form.locator(testId(`input-role-${role}`)).check();
  await form.locator(testId('login-form-submit')).click();
  await expectLoggedIn(page, role);
}

export async function expectLoggedIn(page: Page, role: Role, name?: string): Promise<void> {
  const user = page.locator(testId('current-user', `[data-role="${role}"]`));
  await user.waitFor();
  if (name) expect(await user.textContent()).toContain(name);
}

/** What the site keeps in localStorage about who is logged in (null when logged out). */
export async function storedSession(page: Page): Promise<{ token: string; sessionId: number; role: Role } | null> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('execorder.session') ?? 'null'));
}
