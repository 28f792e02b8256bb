// Issue 13 on the site, in a real browser: a conversation on the task page and the conversations
// page (unread badges, older messages, the contact warning), blind reviews of a done task and the
// public profile they feed, a block with its reason and appeal seen by the blocked person and
// decided by the admin, hiding a review, and the consent asked again on every page.
// The state around each flow is made through the API; the flow itself is driven through the page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserPerFile, findInList, screenshot, testId, visit } from '../helpers/browser';
import { doneTask } from '../helpers/earn';
import { call } from '../helpers/http';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

const browser = browserPerFile();

/** A browser already logged in as this person's session (logging in through the form is tested elsewhere). */
async function browserOf(person: Person, o: { width?: number } = {}): Promise<Page> {
  const visitor = await browser.open(o);
  const me = await person.get('/api/me');
  await visitor.context.addInitScript(
    (stored) => {
      if (!localStorage.getItem('execorder.session')) localStorage.setItem('execorder.session', stored);
    },
    JSON.stringify({
      token: person.token,
      sessionId: 0,
      role: person.role,
      accountId: person.id,
      name: `${me.body.fname} ${me.body.sname}`,
    }),
  );
  return visitor.page;
}

/** A person who has agreed to the current legal texts, as one registered through the site has. */
async function consenting(person: Person): Promise<Person> {
  const legal = await call('GET', '/api/legal');
  expect(
    (await person.post('/api/me/consents', { terms: legal.body.terms.version, personalData: legal.body.personalData.version })).status,
  ).toBe(200);
  return person;
}

/** What another person wrote reaches this reader through the replica a moment later: look again until it shows. */
async function untilShown(page: Page, selector: string, again: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator(selector).first().waitFor({ timeout: 2_000 });
      return;
    } catch (err) {
      if (attempt === 5) throw err;
      await again();
    }
  }
}

const messageTexts = (page: Page) => page.locator(testId('thread-messages')).locator(testId('message-text')).allTextContents();

describe('a conversation about a task', () => {
  it('an applicant reads older messages and writes on the task page; the customer sees the unread badge, the warning, and answers', async () => {
    const customer = await consenting(await register('customer', { fname: 'Ольга', sname: 'Заказова' }));
    const executor = await consenting(await register('executor', { fname: 'Семён', sname: 'Откликов' }));
    await topUp(customer, '300.00');
    const task = await postTask(customer, { title: 'Сверстать лендинг', assignment: 'choose', reward: '250.00' });
    expect((await executor.post(`/api/tasks/${task.id}/apply`)).status).toBe(201);
    // 21 earlier messages, one more than a page; two sessions, as one may post 20 a minute.
    const second = await executor.as('executor');
    for (let n = 1; n <= 21; n++) {
      const res = await (n <= 11 ? executor : second).post(`/api/tasks/${task.id}/messages`, { text: `Вопрос ${n}` });
      expect(res.status, res.text).toBe(201);
    }

    const executorPage = await browserOf(executor);
    await visit(executorPage, `/tasks/${task.id}`);
    const panel = executorPage.locator(testId('task-thread'));
    await panel.locator(testId('message')).nth(19).waitFor();
    expect(await messageTexts(executorPage)).toHaveLength(20);
    expect((await messageTexts(executorPage))[19]).toBe('Вопрос 21');
    await panel.locator(testId('thread-older')).click();
    await panel.locator(testId('message')).nth(20).waitFor();
    expect(await messageTexts(executorPage)).toEqual(Array.from({ length: 21 }, (_, i) => `Вопрос ${i + 1}`));
    await expect(panel.locator(testId('thread-older')).isHidden()).resolves.toBe(true);

    const contact = 'Позвоните мне: +7 (999) 123-45-67';
    await panel.locator(testId('input-message-text')).fill(contact);
    await panel.locator(testId('message-form-submit')).click();
    const sent = panel.locator(testId('message', '[data-mine="true"][data-flags="contact"]'));
    await sent.waitFor();
    expect(await sent.locator(testId('message-text')).textContent()).toBe(contact);
    await sent.locator(testId('message-contact-warning')).waitFor();
    expect(await panel.locator(testId('input-message-text')).inputValue()).toBe('');
    await screenshot(executorPage, 'trust-task-thread');

    const customerPage = await browserOf(customer);
    await visit(customerPage, '/conversations');
    const row = await findInList(
      customerPage,
      'conversations-list',
      testId('conversation-row', `[data-task-id="${task.id}"][data-executor-id="${executor.id}"]`),
    );
    expect(await row.getAttribute('data-unread')).toBe('22');
    expect(await row.locator(testId('conversation-unread')).textContent()).toContain('22');
    expect(await row.locator(testId('conversation-last')).textContent()).toBe(contact);
    await screenshot(customerPage, 'trust-conversations');
    await row.locator(testId('conversation-open')).click();
    await customerPage.waitForURL(new RegExp(`#/conversations/${task.id}/${executor.id}$`));
    expect(await customerPage.locator(testId('thread-with')).textContent()).toBe('Семён Откликов');
    const theirs = customerPage.locator(testId('message', '[data-mine="false"][data-flags="contact"]'));
    await theirs.locator(testId('message-contact-warning')).waitFor();

    await customerPage.locator(testId('input-message-text')).fill('Давайте договоримся здесь, в переписке.');
    await customerPage.locator(testId('message-form-submit')).click();
    await customerPage.locator(testId('message', '[data-mine="true"]')).waitFor();
    await screenshot(customerPage, 'trust-thread-page');

    // Reading marked the conversation read for the customer; the executor now has one unread.
    await visit(customerPage, '/conversations');
    const readRow = await findInList(customerPage, 'conversations-list', testId('conversation-row', `[data-task-id="${task.id}"]`));
    expect(await readRow.getAttribute('data-unread')).toBe('0');
    await panel.locator(testId('thread-refresh')).click();
    await untilShown(executorPage, testId('message', '[data-mine="false"]'), () => panel.locator(testId('thread-refresh')).click());
    expect((await messageTexts(executorPage)).at(-1)).toBe('Давайте договоримся здесь, в переписке.');

    // From the task's applicants too: the applicant's name, rating (none yet) and the way to the conversation.
    await visit(customerPage, `/tasks/${task.id}`);
    const applicant = customerPage.locator(testId('application-row', `[data-executor-id="${executor.id}"]`));
    expect(await applicant.locator(testId('application-rating')).getAttribute('data-reviews')).toBe('0');
    await applicant.locator(testId('application-message')).click();
    await customerPage.waitForURL(new RegExp(`#/conversations/${task.id}/${executor.id}$`));
    await customerPage.locator(testId('message')).nth(19).waitFor();
    expect((await messageTexts(customerPage)).at(-1)).toBe('Давайте договоримся здесь, в переписке.');
  });

  it('an admin reads, but cannot write in, the conversation of a frozen task', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '80.00' });
    expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
    expect((await customer.post(`/api/tasks/${task.id}/messages`, { text: 'Жду к пятнице', executorId: executor.id })).status).toBe(201);
    const boss = await admin();
    expect((await boss.post(`/api/admin/tasks/${task.id}/freeze`, { comment: 'Жалоба' })).status).toBe(200);

    const page = await browserOf(boss);
    await visit(page, `/tasks/${task.id}`);
    const panel = page.locator(testId('task-thread'));
    await untilShown(page, testId('message-text'), () => page.reload());
    expect(await messageTexts(page)).toEqual(['Жду к пятнице']);
    expect(await panel.locator(testId('message-form')).count()).toBe(0);
  });
});

describe('reviews of a done task', () => {
  it('stay blind until both have written, then show on the task and the profile linked from the name', async () => {
    const customer = await consenting(await register('customer', { fname: 'Вера', sname: 'Отзывова' }));
    const executor = await consenting(await register('executor', { fname: 'Глеб', sname: 'Сделалов' }));
    await topUp(customer, '100.00');
    const task = await doneTask(customer, executor, '100.00');

    const customerPage = await browserOf(customer);
    await visit(customerPage, `/tasks/${task.id}`);
    const reviews = customerPage.locator(testId('task-reviews'));
    await reviews.locator(testId('review-blind')).waitFor();
    await reviews.locator(testId('input-rating-5')).check();
    await reviews.locator(testId('input-review-text')).fill('Всё сделано в срок, рекомендую.');
    await reviews.locator(testId('review-form-submit')).click();
    await reviews.locator(testId('review-mine')).waitFor();
    await reviews.locator(testId('review-waiting')).waitFor();
    expect(await reviews.locator(testId('review-theirs')).count()).toBe(0);
    expect(await reviews.locator(testId('review-mine')).locator(testId('review-rating')).getAttribute('data-rating')).toBe('5');
    await screenshot(customerPage, 'trust-review-blind');

    const executorPage = await browserOf(executor);
    await visit(executorPage, `/tasks/${task.id}`);
    const theirPanel = executorPage.locator(testId('task-reviews'));
    // The customer's review is not shown to the executor before the executor has written one.
    await theirPanel.locator(testId('review-form')).waitFor();
    expect(await theirPanel.locator(testId('review-theirs')).count()).toBe(0);
    await theirPanel.locator(testId('input-rating-4')).check();
    await theirPanel.locator(testId('review-form-submit')).click();
    await theirPanel.locator(testId('review-theirs')).waitFor();
    expect(await theirPanel.locator(testId('review-theirs')).locator(testId('review-text')).textContent()).toBe(
      'Всё сделано в срок, рекомендую.',
    );

    await untilShown(customerPage, testId('review-theirs'), () => customerPage.reload());
    expect(await customerPage.locator(testId('review-theirs')).locator(testId('review-rating')).getAttribute('data-rating')).toBe('4');
    await customerPage.locator(testId('review-waiting')).waitFor({ state: 'detached' });

    // The executor's name on the task page leads to the profile, which counts the published review.
    await customerPage.locator(testId('task-executor')).click();
    await customerPage.waitForURL(new RegExp(`#/users/${executor.id}$`));
    expect(await customerPage.locator(testId('page-title')).textContent()).toBe('Глеб Сделалов');
    await untilShown(customerPage, testId('profile-executor-rating', '[data-rating="5.00"]'), () => customerPage.reload());
    const listed = await findInList(customerPage, 'profile-reviews', testId('review', `[data-subject-role="executor"]`));
    expect(await listed.locator(testId('review-author')).textContent()).toBe('Вера Отзывова');
    await screenshot(customerPage, 'trust-profile');

    // And the executor sees the customer's rating beside the customer's name.
    await untilShown(executorPage, testId('customer-rating', '[data-rating="4.00"]'), () => executorPage.reload());
    // The customer's own task cards carry it too.
    await visit(customerPage, '/my/tasks');
    const card = await findInList(customerPage, 'my-tasks-list', testId('task-card', `[data-task-id="${task.id}"]`));
    expect(await card.locator(testId('task-card-customer-rating')).getAttribute('data-rating')).toBe('4.00');
  });

  it('an admin hides a review from the profile, and it leaves the list and the rating', async () => {
    const customer = await register('customer');
    const executor = await register('executor', { fname: 'Тимур', sname: 'Скрытов' });
    await topUp(customer, '100.00');
    const task = await doneTask(customer, executor, '100.00');
    expect((await customer.post(`/api/tasks/${task.id}/review`, { rating: 1, text: 'Оскорбительный текст' })).status).toBe(201);
    expect((await executor.post(`/api/tasks/${task.id}/review`, { rating: 5, text: '' })).status).toBe(201);

    const page = await browserOf(await admin());
    await visit(page, `/users/${executor.id}`);
    const review = await findInList(page, 'profile-reviews', testId('review', '[data-subject-role="executor"]'));
    await review.locator(testId('review-hide')).click();
    await review.locator(testId('review-hide-comment')).fill('Оскорбления');
    await review.locator(testId('review-hide-submit')).click();
    await page.locator(testId('review-hidden')).waitFor();

    await page.reload();
    await page.locator(testId('profile-reviews')).locator(testId('empty')).waitFor();
    expect(await page.locator(testId('profile-executor-rating')).getAttribute('data-rating')).toBe('');
    const listed = await call('GET', `/api/accounts/${executor.id}/reviews`);
    expect(listed.body.items).toEqual([]);
  });
});

describe('a block and its appeal', () => {
  it('the admin blocks with a reason; the person sees it on every page, appeals, and the admin lifts it from the queue', async () => {
    const reason = 'Просил оплату вне площадки';
    const executor = await consenting(await register('executor', { fname: 'Денис', sname: 'Блоков' }));
    const executorPage = await browserOf(executor, { width: 360 });
    await visit(executorPage, '/feed');
    await executorPage.locator(testId('feed-list')).waitFor();
    expect(await executorPage.locator(testId('blocked-banner')).count()).toBe(0);

    const adminPage = await browserOf(await admin());
    await visit(adminPage, '/admin/accounts');
    await adminPage.locator(testId('admin-account-id')).fill(String(executor.id));
    await adminPage.locator(testId('admin-account-open')).click();
    expect(await adminPage.locator(testId('admin-account-name')).textContent()).toBe('Денис Блоков');
    await adminPage.locator(testId('block-panel', '[data-blocked="false"]')).waitFor();
    await adminPage.locator(testId('account-block')).click();
    await adminPage.locator(testId('account-block-comment')).fill(reason);
    await adminPage.locator(testId('account-block-submit')).click();
    await adminPage.locator(testId('block-panel', '[data-blocked="true"]')).waitFor();

    // The open session stays; its next page says why it is blocked, and so does every other page.
    await executorPage.reload();
    for (const route of ['/feed', '/my/tasks', '/salary']) {
      await visit(executorPage, route);
      expect(await executorPage.locator(testId('blocked-reason')).textContent()).toBe(reason);
    }
    await screenshot(executorPage, 'trust-blocked-banner');
    // At 360 px the banner and its appeal form fit the screen: nothing scrolls sideways.
    expect(await executorPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await executorPage.locator(testId('input-appeal-text')).fill('Я не просил оплату вне площадки, это ошибка.');
    await executorPage.locator(testId('appeal-form-submit')).click();
    await executorPage.locator(testId('appeal-open')).waitFor();
    const [appeal] = (await executor.get('/api/me/appeals')).body.items;
    expect(appeal).toMatchObject({ status: 'open', text: 'Я не просил оплату вне площадки, это ошибка.' });

    await visit(adminPage, '/admin/appeals');
    const row = await findInList(adminPage, 'admin-appeals-list', testId('appeal-row', `[data-appeal-id="${appeal.id}"]`));
    expect(await row.locator(testId('appeal-account')).textContent()).toBe('Денис Блоков');
    await row.locator(testId('input-decision-lifted')).check();
    await row.locator(testId('input-decision-comment')).fill('Проверили переписку: вы правы.');
    await row.locator(testId('appeal-decide-form-submit')).click();
    await adminPage.locator(testId('appeal-row', `[data-appeal-id="${appeal.id}"][data-status="lifted"]`)).waitFor();
    await screenshot(adminPage, 'trust-appeal-decided');

    expect((await executor.get('/api/me')).body.blocked).toBeNull();
    await executorPage.reload();
    await executorPage.locator(testId('salary-stats')).waitFor();
    expect(await executorPage.locator(testId('blocked-banner')).count()).toBe(0);
  });

  it('an action the block refuses says it is the block, with its reason', async () => {
    const customer = await register('customer');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '50.00' });
    const executor = await register('executor');
    expect((await (await admin()).post(`/api/admin/accounts/${executor.id}/block`, { reason: 'Спам' })).status).toBe(200);
    const page = await browserOf(executor);
    await visit(page, `/tasks/${task.id}`);
    await page.locator(testId('blocked-banner')).waitFor();
    await page.locator(testId('task-take')).click();
    expect(await page.locator(testId('action-error')).textContent()).toBe('Учётная запись заблокирована: Спам');
  });
});

describe('the consent asked again after a legal text changed', () => {
  it('shows on every page until both consents are given, then goes', async () => {
    // Made through the API without consents: the same as an account made before a text's new version.
    const person = await register('customer');
    const page = await browserOf(person);
    for (const route of ['/feed', '/my/tasks', '/settings']) {
      await visit(page, route);
      await page.locator(testId('account-notices')).locator(testId('reconsent')).waitFor();
    }
    await screenshot(page, 'trust-reconsent');
    const prompt = page.locator(testId('reconsent'));
    await prompt.locator(testId('input-consent-terms')).check();
    await prompt.locator(testId('reconsent-form-submit')).click();
    // Each consent is its own act: one box is not enough.
    await prompt.locator(testId('field-error-consentPersonalData')).waitFor();
    await prompt.locator(testId('input-consent-personal-data')).check();
    await prompt.locator(testId('reconsent-form-submit')).click();
    await page.locator(testId('reconsent')).waitFor({ state: 'detached' });
    expect((await person.get('/api/me')).body.consentRequired).toBe(false);
    await visit(page, '/balance');
    await page.locator(testId('balance-stats')).locator(testId('balance-value')).waitFor();
    expect(await page.locator(testId('reconsent')).count()).toBe(0);
  });
});
