// The two ways a message leaves: SMTP (nodemailer) and the Telegram Bot API. Each throws with a
// short reason on failure; the reason lands in the job's last_error, so it never carries a secret.
import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../config';
import type { Rendered } from './messages';

let mailer: Transporter | undefined;

/** Errors of the connection rather than of the message: a pooled connection that died while idle. */
const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ESOCKET']);

export async function sendEmail(to: string, mail: Rendered): Promise<void> {
  // A pool of connections kept open: a handshake per message would cap the consumer at a few
  // hundred e-mails a second. A connection the server closed while the function was frozen shows
  // as a connection error on first use, so that send is tried once more on a fresh one.
  mailer ??= nodemailer.createTransport(
    {
      url: config.SMTP_URL,
      pool: true,
      maxConnections: config.SMTP_MAX_CONNECTIONS,
      maxMessages: 1000,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
    },
    { from: config.MAIL_FROM },
  );
  const message = { to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers };
  try {
    await mailer.sendMail(message).catch((err: { code?: string }) => {
      if (CONNECTION_ERRORS.has(err.code ?? '')) return mailer!.sendMail(message);
      throw err;
    });
  } catch (err) {
    const e = err as { code?: string; responseCode?: number; message?: string };
    throw new Error(`SMTP: ${e.responseCode ?? e.code ?? 'error'} ${(e.message ?? '').replace(/\/\/[^@\s]*@/g, '//***@')}`.trim());
  }
}

/**
 * A Bot API refusal, with what the consumer needs to decide (core.telegram.org/bots/api, "Making
 * requests"): 403 means the bot may no longer write to the chat (blocked, deactivated, kicked);
 * 429 carries `parameters.retry_after` in seconds; any other 4xx but 429 fails the same way again.
 */
export class TelegramRefusal extends Error {
  constructor(
    readonly status: number,
    description: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(`Telegram: HTTP ${status} ${description}`.slice(0, 500));
  }

  get chatLost(): boolean {
    return this.status === 403;
  }
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 429;
  }
}

export async function sendTelegram(chatId: string, text: string): Promise<void> {
  const url = `${config.TELEGRAM_API_URL.replace(/\/+$/, '')}/bot${config.TELEGRAM_BOT_TOKEN}/sendMessage`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text, link_preview_options: { is_disabled: true } }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    // Not the URL: it carries the bot token.
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new Error(`Telegram: unreachable (${cause})`);
  }
  const answer = (await res.json().catch(() => null)) as {
    ok?: boolean;
    description?: string;
    parameters?: { retry_after?: number };
  } | null;
  if (!res.ok || answer?.ok !== true) {
    const retryAfter = Number(answer?.parameters?.retry_after);
    throw new TelegramRefusal(
      res.status,
      answer?.description ?? 'no answer',
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
}
