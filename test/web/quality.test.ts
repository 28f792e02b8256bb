// The site's own quality, as Lighthouse weighs it, on the pages people land on (the feed, a task,
// login, the balance, the conversations, a thread, a profile, a task in dispute, the admin's
// dispute queue), on a desktop and a phone: nothing on the first screen moves while the page loads
// (cumulative layout shift, from the browser's own layout-shift entries, under Lighthouse's 0.1 for
// "good"), axe-core finds nothing serious (nor a skipped heading level), and the page describes
// itself to search engines.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, site, testId } from '../helpers/browser';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

// Lighthouse's own screens: desktop 1350×940, and the phone it emulates (412×823 at 1.75×).
const VIEWPORTS: Record<string, BrowserContextOptions> = {
  desktop: { viewport: { width: 1350, height: 940 } },
  mobile: { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true },
};

interface Landing {
  route: string;
  /** Shown once the page has what it loads. */
  ready: string;
  loggedIn?: Person;
}

let browser: Browser;
let customer: Person;
let taskId: number;
let executorId: number;
let disputedTaskId: number;
let administrator: Person;
let axeSource: string;

beforeAll(async () => {
  customer = await register('customer');
  await topUp(customer, '300.00');
  taskId = (await postTask(customer, { title: 'Проверить вёрстку страницы', reward: '120.00' })).id;
  // A question about the task, so the conversation pages have something to show.
  const executor = await register('executor');
  executorId = executor.id;
  expect((await executor.post(`/api/tasks/${taskId}/messages`, { text: 'Какой срок?' })).status).toBe(201);
  disputedTaskId = await disputeAwaitingAdmin();
  administrator = await admin();
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Real scrollbars, as people have: their arrival must not move the page either.
  browser = await launchBrowser({ scrollbars: true });
});

afterAll(async () => {
  await browser?.close();
});

const landings = (): Record<string, Landing> => ({
  feed: { route: '/feed', ready: testId('task-card') },
  task: { route: `/tasks/${taskId}`, ready: testId('task-reward') },
  login: { route: '/login', ready: testId('login-form') },
  balance: { route: '/balance', ready: testId('payment-row'), loggedIn: customer },
  conversations: { route: '/conversations', ready: testId('conversation-row'), loggedIn: customer },
  thread: { route: `/conversations/${taskId}/${executorId}`, ready: testId('message'), loggedIn: customer },
  profile: { route: `/users/${customer.id}`, ready: testId('profile-customer') },
  // deals
  dispute: { route: `/tasks/${disputedTaskId}`, ready: testId('dispute-panel'), loggedIn: customer },
  disputes: { route: '/admin/disputes', ready: testId('dispute-row'), loggedIn: administrator },
});

/** A task of the customer's in dispute, the parties' proposals apart: it waits for an admin. */
async function disputeAwaitingAdmin(): Promise<number> {
  const executor = await register('executor');
  const task = await postTask(customer, { title: 'Спор о вёрстке', reward: '100.00' });
  expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
  expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
  expect((await customer.post(`/api/tasks/${task.id}/dispute`, { reason: 'Не та вёрстка', executorAmount: '20.00' })).status).toBe(200);
  expect((await executor.post(`/api/tasks/${task.id}/dispute/respond`, { executorAmount: '80.00' })).status).toBe(200);
  return task.id;
}

/** A first visit to the route in a fresh page, with layout shifts recorded from the first paint. */
async function land(viewport: BrowserContextOptions, landing: Landing): Promise<Page> {
  // bypassCSP: axe-core is injected as an inline script, which the site's policy rightly refuses.
  const context = await browser.newContext({ ...viewport, baseURL: site, locale: 'ru-RU', bypassCSP: true });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(() => {
    const w = window as unknown as { layoutShift: number };
    w.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) w.layoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const person = landing.loggedIn;
  if (person) {
    const session = await person.get('/api/me');
    await context.addInitScript(
      (stored) => localStorage.setItem('execorder.session', stored),
      JSON.stringify({
        token: person.token,
        sessionId: 0,
        role: person.role,
        name: `${session.body.fname} ${session.body.sname}`,
        accountId: person.id,
      }),
    );
  }
  const page = await context.newPage();
  await page.goto(`/#${landing.route}`);
  await page.locator(landing.ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  return page;
}

for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  describe(`on a ${device}`, () => {
    for (const name of ['feed', 'task', 'login', 'balance', 'conversations', 'thread', 'profile', 'dispute', 'disputes']) {
      it(`the ${name} page stays in place while it loads and passes axe`, async () => {
        const page = await land(viewport, landings()[name]!);
        try {
          const shift = await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
          expect(shift).toBeLessThan(0.1);
          // What keeps it so on a slow network too (Lighthouse throttles, this machine does not): the
          // footer starts below the first screen, and the scrollbar's room is kept from the start.
          expect(
            await page.evaluate(() => ({
              footerBelowFold: document.querySelector('footer')!.getBoundingClientRect().top >= window.innerHeight,
              gutter: getComputedStyle(document.documentElement).scrollbarGutter,
            })),
          ).toEqual({ footerBelowFold: true, gutter: 'stable' });

          expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/\S{10}/);

          await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            const axe = (
              window as unknown as {
                axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
              }
            ).axe;
            return (await axe.run()).violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              targets: v.nodes.map((n) => n.target.join(' ')),
            }));
          });
          expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')).toEqual([]);
        } finally {
          await page.context().close();
        }
      });
    }
  });
}
