// What reached people: e-mails in the mail catcher (maildev's REST API) and messages in the
// Telegram sink, always filtered by recipient so that tests never see each other's; and the
// notification jobs behind them, to know when everything an event caused has been dealt with.
import { randomInt } from 'node:crypto';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { eventually, query } from './db';
import { stack } from './http';
import { topUp } from './money';
import { admin, register, type Person } from './users';

export interface Mail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  headers: Record<string, string>;
}
export interface TelegramMessage {
  id: number;
  chatId: string;
  text: string;
}

export async function mailsTo(address: string): Promise<Mail[]> {
  const res = await fetch(`${stack.urls.mailUi}/api/email`);
  expect(res.status).toBe(200);
  const all = (await res.json()) as Mail[];
  return all.filter((m) => m.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}

/**
 * A header as the mail carried it, from the message's source: maildev's JSON leaves out the
 * headers its parser turns into objects (List-Unsubscribe among them).
 */
export async function rawHeader(mail: Mail, name: string): Promise<string | undefined> {
  const res = await fetch(`${stack.urls.mailUi}/api/email/${encodeURIComponent(mail.id)}/source`);
  expect(res.status).toBe(200);
  const head = (await res.text()).split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

export async function telegramTo(chatId: string): Promise<TelegramMessage[]> {
  const res = await fetch(`${stack.urls.telegram}/messages?chatId=${encodeURIComponent(chatId)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: TelegramMessage[] }).items;
}

/** Makes the sink fail the next `count` sends (to that chat only, when given), as the Bot API does with `status`. */
export async function failTelegram(count: number, chatId?: string, refusal: { status?: number; retryAfter?: number } = {}): Promise<void> {
  const res = await fetch(`${stack.urls.telegram}/fail`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count, chatId, ...refusal }),
  });
  expect(res.status).toBe(204);
}

/** A chat id nobody else in the run uses. */
export function newChatId(): string {
  return String(randomInt(100_000_000, 2_000_000_000));
}

/** Links the chat the way a person does: the settings' deep link, Start pressed in that chat (the sink posts the update). */
export async function linkTelegram(
  person: Person,
  chatId: string,
): Promise<{ status: number; answer: { method?: string; text?: string } | null }> {
  const settings = await person.get('/api/me/notification-settings');
  expect(settings.status, settings.text).toBe(200);
  const res = await fetch(`${stack.urls.telegram}/press-start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chatId, link: settings.body.telegramLink }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: number; answer: { method?: string; text?: string } | null };
}

export async function setChannels(person: Person, settings: { email: boolean; telegramChatId: string | null }): Promise<void> {
  if (settings.telegramChatId) expect((await linkTelegram(person, settings.telegramChatId)).status).toBe(200);
  const res = await person.put('/api/me/notification-settings', settings);
  expect(res.status, res.text).toBe(200);
}

/** A fresh category, so that a test's subscribers are the only ones. */
export async function newCategory(): Promise<number> {
  const slug = `c-${randomInt(1e9).toString(36)}-${Date.now().toString(36)}`;
  const res = await (await admin()).post('/api/admin/categories', { slug, name: `Категория <${slug}> & Co` });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

export interface JobRecord {
  id: number;
  accountId: number;
  channel: 'email' | 'telegram';
  status: string;
  attempts: number;
  lastError: string | null;
}

/** The outbox event of this type whose payload has `key` = value, once it exists. */
export async function outboxIdOf(type: string, key: string, value: number): Promise<number> {
  return eventually(async () => {
    const rows = await query<{ id: number }>(
      'primary',
      `SELECT id FROM outbox WHERE event_type = ? AND JSON_VALUE(payload, '$.${key}') = ? ORDER BY id DESC LIMIT 1`,
      [type, String(value)],
    );
    expect(rows, `${type} with ${key}=${value}`).toHaveLength(1);
    return Number(rows[0]!.id);
  });
}

export async function jobsOf(outboxId: number): Promise<JobRecord[]> {
  const rows = await query<JobRecord>(
    'primary',
    `SELECT id, account_id AS accountId, channel, status, attempts, last_error AS lastError
       FROM notification_job WHERE outbox_id = ? ORDER BY id`,
    [outboxId],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Waits until the event has its `count` jobs and every one is done: nothing more will be sent for it. */
export async function allDelivered(outboxId: number, count: number, timeoutMs = 15_000): Promise<JobRecord[]> {
  return eventually(async () => {
    const jobs = await jobsOf(outboxId);
    expect(jobs.map((j) => j.status)).toEqual(Array(count).fill('done'));
    return jobs;
  }, timeoutMs);
}

/** Waits for exactly one e-mail to `address` whose subject contains `subject`, and returns it. */
export async function theMail(address: string, subject: string, timeoutMs = 15_000): Promise<Mail> {
  return eventually(async () => {
    const found = (await mailsTo(address)).filter((m) => m.subject.includes(subject));
    expect(found, `mail "${subject}" to ${address}`).toHaveLength(1);
    return found[0]!;
  }, timeoutMs);
}

async function messagesIn(queueUrl: string): Promise<{ kind: string; jobIds?: number[]; outboxId?: number }[]> {
  const sqs = new SQSClient({
    region: stack.env.AWS_REGION,
    endpoint: stack.urls.sqs,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    // Visible again at once, so that they are left for others to read too.
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 0 }),
    );
    // A message made visible again at once may come twice in one receive.
    const bodies = new Map((res.Messages ?? []).map((m) => [m.MessageId!, m.Body!]));
    return [...bodies.values()].map((body) => JSON.parse(body));
  } finally {
    sqs.destroy();
  }
}

/** The bodies of the messages in the events queue's dead-letter queue (left there for others to read too). */
export const deadLetters = () => messagesIn(stack.env.SQS_QUEUE_URL!.replace(/-events$/, '-events-dlq'));

/**
 * The bodies of (up to ten) messages waiting in the events queue, left there too. One receive: each
 * counts towards a message's receives, and the fifth moves it to the dead-letter queue.
 */
export const queuedMessages = () => messagesIn(stack.env.SQS_QUEUE_URL!);

/** A customer told by Telegram only, topped up once: the event and its delivered job. */
export async function toppedUpOnTelegram(amount: string): Promise<{ customer: Person; chat: string; outboxId: number; jobs: JobRecord[] }> {
  const customer = await register('customer');
  const chat = newChatId();
  await setChannels(customer, { email: false, telegramChatId: chat });
  await topUp(customer, amount);
  const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
  return { customer, chat, outboxId, jobs: await allDelivered(outboxId, 1) };
}
