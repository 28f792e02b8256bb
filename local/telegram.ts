// A Telegram sink for the local stack: answers the Bot API's sendMessage as Telegram does and keeps
// what was sent, for people (an HTML page at /) and tests (JSON at /messages). The API is pointed
// at it through TELEGRAM_API_URL.
//
//   POST   /bot<token>/sendMessage   {chat_id, text, …} (JSON or form)   → {ok, result}
//   GET    /messages[?chatId=]        {items: [{id, chatId, text, at}]}, oldest first
//   DELETE /messages[?chatId=]        forget them (that chat's only)
//   POST   /fail {count, chatId?, status?, retryAfter?}   the next `count` sends (to that chat) fail
//                                     with `status` (502) as the Bot API does: 403 "bot was blocked by the
//                                     user", 400 "chat not found", 429 with parameters.retry_after
//   DELETE /fail                      fail nothing
//   POST   /bot<token>/setWebhook {url, secret_token}   where "press Start" posts updates (as Telegram)
//   POST   /press-start {chatId, link}   a person presses Start on the deep link `link` in its private
//                                     chat `chatId`: the sink posts that /start update to the webhook, with
//                                     X-Telegram-Bot-Api-Secret-Token, runs a sendMessage the answer holds,
//                                     and answers {status, answer}; the page at / has a form for it
import http from 'node:http';
import { listenOnLoopback } from './loopback';

interface TelegramMessage {
  id: number;
  chatId: string;
  text: string;
  at: string;
}

export interface TelegramSink {
  url: string;
  close(): Promise<void>;
}

interface FailureRule {
  count: number;
  chatId?: string;
  status: number;
  retryAfter?: number;
}

/** What the Bot API says for each refusal the sink can be told to give (core.telegram.org/bots/api). */
const REFUSALS: Record<number, string> = {
  400: 'Bad Request: chat not found',
  403: 'Forbidden: bot was blocked by the user',
  429: 'Too Many Requests: retry after',
};

const MAX_TEXT = 4096;

export async function startTelegramSink(o: { port: number; botToken: string }): Promise<TelegramSink> {
  const messages: TelegramMessage[] = [];
  let failures: FailureRule[] = [];
  let nextId = 1;
  let nextUpdateId = 1;
  let webhook: { url: string; secret?: string } | null = null;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const botError = (res: http.ServerResponse, status: number, description: string, parameters?: { retry_after: number }) =>
    json(res, status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });

  function sendMessage(res: http.ServerResponse, token: string, params: Record<string, unknown>): void {
    if (token !== o.botToken) return botError(res, 401, 'Unauthorized');
    const chatId = typeof params.chat_id === 'string' || typeof params.chat_id === 'number' ? String(params.chat_id) : '';
    const text = typeof params.text === 'string' ? params.text : '';
    if (!chatId) return botError(res, 400, 'Bad Request: chat_id is empty');
    if (!text.trim()) return botError(res, 400, 'Bad Request: message text is empty');
    if (text.length > MAX_TEXT) return botError(res, 400, 'Bad Request: message is too long');
    const rule = failures.find((f) => f.count > 0 && (f.chatId === undefined || f.chatId === chatId));
    if (rule) {
      rule.count--;
      failures = failures.filter((f) => f.count > 0);
      if (rule.status === 429) return botError(res, 429, `${REFUSALS[429]} ${rule.retryAfter ?? 1}`, { retry_after: rule.retryAfter ?? 1 });
      return botError(res, rule.status, REFUSALS[rule.status] ?? `Sink told to fail (${rule.status})`);
    }
    const message = record(chatId, text);
    json(res, 200, {
      ok: true,
      result: {
        message_id: message.id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: /^-?\d+$/.test(chatId) ? Number(chatId) : chatId, type: 'private' },
        text,
      },
    });
  }

  function record(chatId: string, text: string): TelegramMessage {
    const message = { id: nextId++, chatId, text, at: new Date().toISOString() };
    messages.push(message);
    return message;
  }

  /** A person presses Start on a deep link: Telegram posts `/start <code>` from the private chat to the webhook. */
  async function pressStart(res: http.ServerResponse, params: Record<string, unknown>): Promise<void> {
    const chatId = Number(params.chatId);
    const code = /[?&]start=([A-Za-z0-9_-]{1,64})(?:&|$)/.exec(typeof params.link === 'string' ? params.link : '')?.[1];
    if (!Number.isSafeInteger(chatId) || chatId <= 0 || !code)
      return json(res, 400, { error: 'chatId must be a positive integer and link a t.me/<bot>?start=<code> link' });
    if (!webhook) return json(res, 409, { error: 'no webhook set (setWebhook)' });
    const update = {
      update_id: nextUpdateId++,
      message: {
        message_id: nextId++,
        date: Math.floor(Date.now() / 1000),
        text: `/start ${code}`,
        from: { id: chatId, is_bot: false, first_name: 'Local' },
        chat: { id: chatId, type: 'private', first_name: 'Local' },
        entities: [{ offset: 0, length: 6, type: 'bot_command' }],
      },
    };
    const reply = await fetch(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(webhook.secret ? { 'x-telegram-bot-api-secret-token': webhook.secret } : {}) },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(30_000),
    });
    const answer = (await reply.json().catch(() => null)) as Record<string, unknown> | null;
    // Telegram runs a method given in the webhook's answer.
    if (reply.ok && answer?.method === 'sendMessage' && typeof answer.text === 'string') record(String(answer.chat_id), answer.text);
    json(res, 200, { status: reply.status, answer });
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sink');
    const setWebhook = /^\/bot([^/]+)\/setWebhook$/.exec(url.pathname);
    if (setWebhook && req.method === 'POST') {
      if (decodeURIComponent(setWebhook[1]!) !== o.botToken) return botError(res, 401, 'Unauthorized');
      const params = JSON.parse(body || '{}') as { url?: string; secret_token?: string };
      webhook = params.url ? { url: params.url, ...(params.secret_token ? { secret: params.secret_token } : {}) } : null;
      return json(res, 200, { ok: true, result: true, description: webhook ? 'Webhook was set' : 'Webhook was deleted' });
    }
    if (url.pathname === '/press-start' && req.method === 'POST') {
      const type = req.headers['content-type'] ?? '';
      const params = type.includes('application/json')
        ? (JSON.parse(body || '{}') as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(body));
      return pressStart(res, params);
    }
    const bot = /^\/bot([^/]+)\/sendMessage$/.exec(url.pathname);
    if (bot && (req.method === 'POST' || req.method === 'GET')) {
      const type = req.headers['content-type'] ?? '';
      const params: Record<string, unknown> = type.includes('application/json')
        ? (JSON.parse(body || '{}') as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(req.method === 'GET' ? url.search : body));
      return sendMessage(res, decodeURIComponent(bot[1]!), params);
    }
    if (url.pathname === '/messages' && req.method === 'GET') {
      const chatId = url.searchParams.get('chatId');
      return json(res, 200, { items: chatId === null ? messages : messages.filter((m) => m.chatId === chatId) });
    }
    if (url.pathname === '/messages' && req.method === 'DELETE') {
      const chatId = url.searchParams.get('chatId');
      const kept = chatId === null ? [] : messages.filter((m) => m.chatId !== chatId);
      messages.splice(0, messages.length, ...kept);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/fail' && req.method === 'POST') {
      const rule = JSON.parse(body || '{}') as Partial<FailureRule>;
      const count = Number(rule.count ?? 1);
      const status = Number(rule.status ?? 502);
      if (!Number.isInteger(count) || count < 1 || !Number.isInteger(status) || status < 400 || status > 599) {
        return json(res, 400, { error: 'count must be a positive integer and status 400..599' });
      }
      failures.push({
        count,
        status,
        ...(rule.chatId === undefined ? {} : { chatId: String(rule.chatId) }),
        ...(rule.retryAfter === undefined ? {} : { retryAfter: Math.max(1, Math.trunc(Number(rule.retryAfter)) || 1) }),
      });
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/fail' && req.method === 'DELETE') {
      failures = [];
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page(messages));
      return;
    }
    json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  }

  const server = http.createServer((req, res) => void answer(req, res));
  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      await route(req, res, body);
    } catch (err) {
      botError(res, 400, `Bad Request: ${(err as Error).message}`);
    }
  }
  return listenOnLoopback(server, o.port);
}

/** The Bot API's setWebhook, as an operator calls it against api.telegram.org after a deploy. */
export async function setWebhook(apiUrl: string, botToken: string, url: string, secretToken: string): Promise<void> {
  const res = await fetch(`${apiUrl}/bot${botToken}/setWebhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, secret_token: secretToken }),
  });
  if (!res.ok) throw new Error(`setWebhook: HTTP ${res.status}`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(messages: TelegramMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<li><div class="meta">#${m.id} · chat ${escapeHtml(m.chatId)} · ${escapeHtml(m.at)}</div><pre>${escapeHtml(m.text)}</pre></li>`,
    );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Telegram sink · execorder</title>
<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}ul{list-style:none;padding:0}
li{border:1px solid #ddd;border-radius:8px;padding:.6em 1em;margin:.6em 0}.meta{color:#666;font-size:.85em}pre{white-space:pre-wrap;font-family:inherit;margin:.4em 0 0}</style></head>
<body><h1>Telegram sink</h1>
<form method="post" action="/press-start" data-testid="press-start"><fieldset><legend>Press Start in the bot</legend>
<label>Deep link from the notification settings <input name="link" size="60" placeholder="https://t.me/…?start=…" required></label>
<label>Your chat id <input name="chatId" value="100200300" inputmode="numeric" required></label>
<button type="submit">Start</button></fieldset></form>
<p>What the API sent through the Bot API, newest first (${messages.length}). The page refreshes every 5 seconds.</p>
${rows.length > 0 ? `<ul>${rows.join('\n')}</ul>` : '<p><em>Nothing yet.</em></p>'}
</body></html>
`;
}
