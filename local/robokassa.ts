// The local Robokassa: the payment page that ROBOKASSA_URL points at in the local stack. It takes
// Robokassa's query parameters, checks the Password1 signature, and lets a person (or a browser
// test) pay or cancel. Pay does what Robokassa does once the money has arrived: the signed
// ResultURL call to the API, server to server, then the payer's browser to SuccessURL; Cancel
// sends the browser to FailURL. Both return URLs go through the site (same origin, as CloudFront).
import http from 'node:http';
import {
  formatOutSum, outSumKopecks, paymentSignatureValid, resultSignature, type RobokassaHash,
} from '../shared/payments/robokassa';
import { listenOnLoopback } from './loopback';

/** Where the payment page lives on the emulator, as on auth.robokassa.ru. */
export const PAYMENT_PAGE_PATH = '/Merchant/Index.aspx';
const MAX_FORM_BYTES = 64 * 1024;

export interface RobokassaEmulatorOptions {
  port: number;
  /** Where ResultURL is posted: `${apiUrl}/api/robokassa/result`. */
  apiUrl: string;
  /** Where the browser returns: `${siteUrl}/api/robokassa/success|fail`. */
  siteUrl: string;
  login: string;
  password1: string;
  password2: string;
  algorithm: RobokassaHash;
}

export interface RobokassaEmulator {
  /** The payment page's URL: the stack's ROBOKASSA_URL. */
  url: string;
  close(): Promise<void>;
}

export function robokassaPageUrl(port: number): string {
  return `http://127.0.0.1:${port}${PAYMENT_PAGE_PATH}`;
}

export async function startRobokassaEmulator(o: RobokassaEmulatorOptions): Promise<RobokassaEmulator> {
  const server = http.createServer((req, res) => {
    handle(o, req, res).catch((err: Error) => {
      if (res.headersSent) res.destroy();
      else send(res, 500, errorPage('Внутренняя ошибка эмулятора', err.message));
    });
  });
  const listening = await listenOnLoopback(server, o.port);
  return { url: robokassaPageUrl(o.port), close: listening.close };
}

/** A payment request whose link was signed with this shop's Password1. */
interface Invoice {
  fields: Record<string, string>;
  kopecks: number;
}

async function handle(o: RobokassaEmulatorOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://robokassa');
  if (url.pathname !== PAYMENT_PAGE_PATH) {
    send(res, 404, errorPage('Страница не найдена', `Платёжная страница: ${PAYMENT_PAGE_PATH}`));
    return;
  }
  if (req.method === 'GET') {
    const invoice = checkInvoice(o, Object.fromEntries(url.searchParams));
    if (typeof invoice === 'string') send(res, 400, errorPage('Ошибка оплаты', invoice));
    else send(res, 200, paymentPage(invoice));
    return;
  }
  if (req.method === 'POST') {
    const form = await readForm(req);
    if (form === null) {
      send(res, 413, errorPage('Ошибка оплаты', 'Слишком большой запрос'));
      return;
    }
    const { Action: action, ...fields } = form;
    // The form carries the link's parameters back, so they are checked again: nothing is trusted.
    const invoice = checkInvoice(o, fields);
    if (typeof invoice === 'string') send(res, 400, errorPage('Ошибка оплаты', invoice));
    else if (action === 'pay') await pay(o, invoice, res);
    else if (action === 'cancel') redirect(res, returnUrl(o, 'fail', invoice));
    else send(res, 400, errorPage('Ошибка оплаты', 'Неизвестное действие'));
    return;
  }
  res.writeHead(405, { allow: 'GET, POST' }).end();
}

/** The invoice, or why Robokassa would refuse it. */
function checkInvoice(o: RobokassaEmulatorOptions, fields: Record<string, string>): Invoice | string {
  for (const name of ['MerchantLogin', 'OutSum', 'InvId', 'SignatureValue']) {
    if (!fields[name]) return `Не передан параметр ${name}`;
  }
  if (fields.MerchantLogin !== o.login) return `Магазин ${fields.MerchantLogin} не найден`;
  if (!/^\d{1,10}$/.test(fields.InvId ?? '')) return 'Неверный номер счёта (InvId)';
  const kopecks = outSumKopecks(fields.OutSum ?? '');
  if (kopecks === null || kopecks <= 0) return 'Неверная сумма (OutSum)';
  if (!paymentSignatureValid(o.algorithm, o.password1, fields)) return 'Неверная подпись запроса (SignatureValue)';
  return { fields, kopecks };
}

/** Robokassa's side once the payer has paid: ResultURL first; only an OK answer lets the browser go to SuccessURL. */
async function pay(o: RobokassaEmulatorOptions, invoice: Invoice, res: http.ServerResponse): Promise<void> {
  const { fields } = invoice;
  const callback: Record<string, string> = { OutSum: formatOutSum(invoice.kopecks), InvId: fields.InvId ?? '', ...shpFields(fields) };
  callback.SignatureValue = resultSignature(o.algorithm, o.password2, callback);
  if (fields.IsTest === '1') callback.IsTest = '1';
  let answer: { status: number; text: string };
  try {
    const reply = await fetch(`${o.apiUrl}/api/robokassa/result`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(callback).toString(),
      signal: AbortSignal.timeout(30_000),
    });
    answer = { status: reply.status, text: await reply.text() };
  } catch (err) {
    send(res, 502, errorPage('Магазин не ответил', `ResultURL недоступен: ${(err as Error).message}`));
    return;
  }
  if (answer.status !== 200 || answer.text.trim() !== `OK${fields.InvId}`) {
    send(res, 502, errorPage('Магазин не подтвердил оплату',
      `ResultURL ответил ${answer.status}: ${answer.text.slice(0, 500)}`));
    return;
  }
  redirect(res, returnUrl(o, 'success', invoice));
}

/** SuccessURL (signed with Password1, as Robokassa does) or FailURL, through the site. */
function returnUrl(o: RobokassaEmulatorOptions, outcome: 'success' | 'fail', invoice: Invoice): string {
  const { fields } = invoice;
  const back = new URL(`${o.siteUrl}/api/robokassa/${outcome}`);
  const params: Record<string, string> = { OutSum: formatOutSum(invoice.kopecks), InvId: fields.InvId ?? '', ...shpFields(fields) };
  if (outcome === 'success') params.SignatureValue = resultSignature(o.algorithm, o.password1, params);
  params.Culture = fields.Culture === 'en' ? 'en' : 'ru';
  for (const [name, value] of Object.entries(params)) back.searchParams.set(name, value);
  return back.toString();
}

function shpFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => name.startsWith('Shp_')));
}

async function readForm(req: http.IncomingMessage): Promise<Record<string, string> | null> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) return null;
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function send(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No script at all; no form-action either: Chrome applies it to the redirect after a submit.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

function redirect(res: http.ServerResponse, location: string): void {
  // 303: the browser follows a POST's answer with a GET.
  res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "1 000,00 ₽", the way the page shows an amount. */
function rubles(kopecks: number): string {
  const whole = String(Math.trunc(kopecks / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${whole},${String(kopecks % 100).padStart(2, '0')}\u00a0₽`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Robokassa (локальный эмулятор)</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; background: #f3f4f6; color: #111827; margin: 0; padding: 2rem 1rem; }
main { max-width: 28rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 1px 3px #0002; }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
.note { background: #fef3c7; border-radius: 8px; padding: .5rem .75rem; font-size: .875rem; }
.amount { font-size: 2rem; font-weight: 700; margin: .5rem 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; } dt { color: #4b5563; } dd { margin: 0; overflow-wrap: anywhere; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; margin-top: 1.5rem; }
button { font: inherit; padding: .625rem 1.25rem; border-radius: 8px; border: 1px solid #1d4ed8; cursor: pointer; }
.pay { background: #1d4ed8; color: #fff; } .cancel { background: #fff; color: #1d4ed8; }
button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
.error { color: #b91c1c; }
</style></head>
<body><main>
<p class="note">Локальный эмулятор Робокассы: настоящие деньги не списываются.</p>
${body}
</main></body></html>
`;
}

function paymentPage(invoice: Invoice): string {
  const { fields } = invoice;
  const hidden = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return layout('Оплата заказа', `<h1 data-testid="robokassa-title">Оплата заказа</h1>
<p class="amount" data-testid="robokassa-amount" data-amount="${escapeHtml(formatOutSum(invoice.kopecks))}">${rubles(invoice.kopecks)}</p>
<dl>
<dt>Описание</dt><dd data-testid="robokassa-description">${escapeHtml(fields.Description ?? '')}</dd>
<dt>Магазин</dt><dd>${escapeHtml(fields.MerchantLogin ?? '')}</dd>
<dt>Счёт №</dt><dd data-testid="robokassa-invoice">${escapeHtml(fields.InvId ?? '')}</dd>
${fields.IsTest === '1' ? '<dt>Режим</dt><dd>тестовый платёж</dd>' : ''}
</dl>
<form method="post" action="${PAYMENT_PAGE_PATH}" data-testid="robokassa-form">
${hidden}
<div class="actions">
<button class="pay" type="submit" name="Action" value="pay" data-testid="robokassa-pay">Оплатить</button>
<button class="cancel" type="submit" name="Action" value="cancel" data-testid="robokassa-cancel">Отмена</button>
</div>
</form>`);
}

function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>
<p class="error" data-testid="robokassa-error">${escapeHtml(message)}</p>`);
}
