// The local Robokassa: the payment page that ROBOKASSA_URL points at in the local stack. It takes
// Robokassa's query parameters, checks the Password1 signature, and lets a person (or a browser
// test) pay or cancel. Pay does what Robokassa does once the money has arrived: the signed
// ResultURL call to the API, server to server, then the payer's browser to SuccessURL; Cancel
// sends the browser to FailURL. Both return URLs go through the site (same origin, as CloudFront).
//
// It signs and checks with code of its own, written from Robokassa's documentation
// (docs.robokassa.ru: script-parameters, fiscalization, notifications-and-redirects) and never the
// product's: a mistake in one then shows up as a refusal by the other instead of being mirrored.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { listenOnLoopback } from './loopback';

/** Where the payment page lives on the emulator, as on auth.robokassa.ru. */
const PAYMENT_PAGE_PATH = '/Merchant/Index.aspx';
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
  algorithm: RobokassaHashName;
}

type RobokassaHashName = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

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
  return { url: robokassaPageUrl(o.port), close: () => listening.close() };
}

/** A payment request whose link was signed with this shop's Password1. */
interface Invoice {
  fields: Record<string, string>;
  kopecks: number;
  receipt: ReceiptLine[] | null;
}

interface ReceiptLine {
  name: string;
  quantity: number;
  sum: number;
  tax: string;
  paymentMethod?: string;
  paymentObject?: string;
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
    const { Action: action, EMail: email, ...fields } = form;
    // The form carries the link's parameters back, so they are checked again: nothing is trusted.
    const invoice = checkInvoice(o, fields);
    if (typeof invoice === 'string') send(res, 400, errorPage('Ошибка оплаты', invoice));
    else if (action === 'pay') await pay(o, invoice, email || 'payer@example.com', res);
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
  const kopecks = linkKopecks(fields.OutSum ?? '');
  if (kopecks === null || kopecks <= 0) return 'Неверная сумма (OutSum)';
  // Receipt, when sent, is signed in the place the fiscalization page gives it: after InvId.
  const base = [
    fields.MerchantLogin,
    fields.OutSum!,
    fields.InvId!,
    ...(fields.Receipt !== undefined ? [fields.Receipt] : []),
    o.password1,
  ];
  if (!signatureMatches(o.algorithm, [...base, ...userFields(fields)], fields.SignatureValue ?? '')) {
    return 'Неверная подпись запроса (SignatureValue)';
  }
  const receipt = fields.Receipt === undefined ? null : readReceipt(fields.Receipt, kopecks);
  if (typeof receipt === 'string') return `Параметр Receipt указан неверно: ${receipt}`;
  return { fields, kopecks, receipt };
}

const TAXES = new Set(['none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat20', 'vat22', 'vat105', 'vat107', 'vat110', 'vat120', 'vat122']);
const SNOS = new Set(['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent']);

/** The receipt's lines, or what is wrong with it: URL-encoded JSON whose lines add up to OutSum. */
function readReceipt(value: string, kopecks: number): ReceiptLine[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(value));
  } catch {
    return 'это не URL-кодированный JSON';
  }
  const receipt = parsed as { sno?: unknown; items?: unknown };
  if (typeof receipt !== 'object' || receipt === null || !Array.isArray(receipt.items) || receipt.items.length === 0)
    return 'нет позиций (items)';
  if (receipt.sno !== undefined && !(typeof receipt.sno === 'string' && SNOS.has(receipt.sno)))
    return `неизвестная система налогообложения (sno): ${JSON.stringify(receipt.sno)}`;
  const lines: ReceiptLine[] = [];
  for (const [i, raw] of (receipt.items as Record<string, unknown>[]).entries()) {
    const item = raw ?? {};
    if (typeof item.name !== 'string' || item.name.length === 0 || item.name.length > 128) return `позиция ${i + 1}: name`;
    if (typeof item.quantity !== 'number' || !(item.quantity > 0)) return `позиция ${i + 1}: quantity`;
    if (typeof item.sum !== 'number' || !(item.sum >= 0)) return `позиция ${i + 1}: sum`;
    if (typeof item.tax !== 'string' || !TAXES.has(item.tax)) return `позиция ${i + 1}: tax`;
    lines.push({
      name: item.name,
      quantity: item.quantity,
      sum: item.sum,
      tax: item.tax,
      ...(typeof item.payment_method === 'string' ? { paymentMethod: item.payment_method } : {}),
      ...(typeof item.payment_object === 'string' ? { paymentObject: item.payment_object } : {}),
    });
  }
  const total = Math.round(lines.reduce((sum, line) => sum + line.sum, 0) * 100);
  if (total !== kopecks) return 'сумма позиций не равна OutSum';
  return lines;
}

/** The `Shp_` user fields, prefix in any case, as `name=value`, in alphabetical (code unit) order. */
function userFields(fields: Record<string, string>): string[] {
  return Object.entries(fields)
    .filter(([name]) => name.toLowerCase().startsWith('shp_'))
    .map(([name, value]) => `${name}=${value}`)
    .sort();
}

function sign(algorithm: RobokassaHashName, parts: string[]): string {
  return createHash(algorithm).update(parts.join(':'), 'utf8').digest('hex');
}

function signatureMatches(algorithm: RobokassaHashName, parts: string[], given: string): boolean {
  const expected = Buffer.from(sign(algorithm, parts));
  const actual = Buffer.from(given.toLowerCase());
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** OutSum of a link ("1000", "1000.5", "1000.50") in kopecks, or null. */
function linkKopecks(outSum: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(outSum);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/** Kopecks as Robokassa writes OutSum in its callbacks: six decimals, "1000.000000". */
export function formatOutSum(kopecks: number): string {
  return `${Math.trunc(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}0000`;
}

/** What this emulator takes as Robokassa's fee: 3.9 % of the payment, half-up to the kopeck. */
const FEE_PER_MILLE = 39;

/** Robokassa's side once the payer has paid: ResultURL first; only an OK answer lets the browser go to SuccessURL. */
// What Robokassa posts to ResultURL (docs.robokassa.ru/notifications-and-redirects): OutSum, InvId,
// Fee, EMail, SignatureValue = HASH(OutSum:InvId:Password2[:Shp_…]), PaymentMethod, IncCurrLabel, the Shp_ fields.
async function pay(o: RobokassaEmulatorOptions, invoice: Invoice, email: string, res: http.ServerResponse): Promise<void> {
  const { fields } = invoice;
  const outSum = formatOutSum(invoice.kopecks);
  const callback: Record<string, string> = {
    OutSum: outSum,
    InvId: fields.InvId ?? '',
    Fee: formatOutSum(Math.round((invoice.kopecks * FEE_PER_MILLE) / 1000)),
    EMail: email,
    PaymentMethod: 'BankCard',
    IncCurrLabel: 'BankCardPSR',
    ...shpFields(fields),
  };
  callback.SignatureValue = sign(o.algorithm, [outSum, callback.InvId!, o.password2, ...userFields(fields)]);
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
    send(res, 502, errorPage('Магазин не подтвердил оплату', `ResultURL ответил ${answer.status}: ${answer.text.slice(0, 500)}`));
    return;
  }
  redirect(res, returnUrl(o, 'success', invoice));
}

/** SuccessURL (signed with Password1, as Robokassa does) or FailURL, through the site. */
function returnUrl(o: RobokassaEmulatorOptions, outcome: 'success' | 'fail', invoice: Invoice): string {
  const { fields } = invoice;
  const back = new URL(`${o.siteUrl}/api/robokassa/${outcome}`);
  const params: Record<string, string> = { OutSum: formatOutSum(invoice.kopecks), InvId: fields.InvId ?? '', ...shpFields(fields) };
  if (outcome === 'success') params.SignatureValue = sign(o.algorithm, [params.OutSum!, params.InvId!, o.password1, ...userFields(fields)]);
  params.Culture = fields.Culture === 'en' ? 'en' : 'ru';
  for (const [name, value] of Object.entries(params)) back.searchParams.set(name, value);
  return back.toString();
}

function shpFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => name.toLowerCase().startsWith('shp_')));
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
h2 { font-size: 1rem; margin: 1rem 0 .25rem; } table { border-collapse: collapse; width: 100%; font-size: .875rem; } th, td { text-align: left; padding: .25rem; border-bottom: 1px solid #e5e7eb; }
label { display: block; margin-top: 1rem; } input[type=email] { font: inherit; width: 100%; box-sizing: border-box; padding: .375rem; }
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
  return layout(
    'Оплата заказа',
    `<h1 data-testid="robokassa-title">Оплата заказа</h1>
<p class="amount" data-testid="robokassa-amount" data-amount="${escapeHtml(formatOutSum(invoice.kopecks))}">${rubles(invoice.kopecks)}</p>
<dl>
<dt>Описание</dt><dd data-testid="robokassa-description">${escapeHtml(fields.Description ?? '')}</dd>
<dt>Магазин</dt><dd>${escapeHtml(fields.MerchantLogin ?? '')}</dd>
<dt>Счёт №</dt><dd data-testid="robokassa-invoice">${escapeHtml(fields.InvId ?? '')}</dd>
${fields.IsTest === '1' ? '<dt>Режим</dt><dd>тестовый платёж</dd>' : ''}
</dl>
${invoice.receipt ? receiptTable(invoice.receipt) : ''}
<form method="post" action="${PAYMENT_PAGE_PATH}" data-testid="robokassa-form">
${hidden}
<label>E-mail для чека <input type="email" name="EMail" value="${escapeHtml(fields.Email ?? '')}" placeholder="payer@example.com" data-testid="robokassa-email"></label>
<div class="actions">
<button class="pay" type="submit" name="Action" value="pay" data-testid="robokassa-pay">Оплатить</button>
<button class="cancel" type="submit" name="Action" value="cancel" data-testid="robokassa-cancel">Отмена</button>
</div>
</form>`,
  );
}

function receiptTable(lines: ReceiptLine[]): string {
  const rows = lines.map(
    (line) =>
      `<tr data-testid="robokassa-receipt-line"><td>${escapeHtml(line.name)}</td><td>${line.quantity}</td>` +
      `<td>${rubles(Math.round(line.sum * 100))}</td><td>${escapeHtml(line.tax)}</td><td>${escapeHtml(line.paymentMethod ?? '')}</td></tr>`,
  );
  return `<h2>Чек (54-ФЗ)</h2>
<table data-testid="robokassa-receipt"><thead><tr><th>Позиция</th><th>Кол-во</th><th>Сумма</th><th>НДС</th><th>Способ расчёта</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
}

function errorPage(title: string, message: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error" data-testid="robokassa-error">${escapeHtml(message)}</p>`,
  );
}
