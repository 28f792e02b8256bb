// The local Robokassa over HTTP: its payment page checks the link, Pay makes the signed ResultURL
// call and sends the browser back through SuccessURL, Cancel through FailURL.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../local/loopback';
import { freePorts } from '../../local/ports';
import { formatOutSum, startRobokassaEmulator } from '../../local/robokassa';
import { extraApi, stopExtraApis } from '../helpers/control';
import { query } from '../helpers/db';
import { stack } from '../helpers/http';
import { apiConfig, expectBooksBalanced, expectMoney, robokassaSignature } from '../helpers/money';
import { register } from '../helpers/users';

const page = stack.urls.robokassa;

/** A payment link signed with Password1 as the API signs it, for fields the test chooses. */
function signedLink(fields: { OutSum: string; InvId: string } & Record<string, string>): string {
  const url = new URL(page);
  const all = { MerchantLogin: apiConfig.ROBOKASSA_LOGIN, Culture: 'ru', ...fields };
  for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
  url.searchParams.set('SignatureValue', robokassaSignature([all.MerchantLogin, all.OutSum, all.InvId, apiConfig.ROBOKASSA_PASSWORD1]));
  return url.toString();
}

const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The hidden fields of the page's form, as the browser would post them. */
function formOf(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(m[1]!)] = unescape(m[2]!);
  return fields;
}

async function openPage(url: string): Promise<{ status: number; html: string }> {
  const res = await fetch(url);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  return { status: res.status, html: await res.text() };
}

function press(fields: Record<string, string>, action: 'pay' | 'cancel'): Promise<Response> {
  return fetch(page, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, Action: action }).toString(),
    redirect: 'manual',
  });
}

async function newPayment(amount: string) {
  const customer = await register('customer');
  const created = await customer.post('/api/payments', { amount });
  expect(created.status, created.text).toBe(201);
  return { customer, payment: created.body as { id: number; paymentUrl: string } };
}

describe('the payment page', () => {
  it('is where the API sends the payer', () => {
    expect(apiConfig.ROBOKASSA_URL).toBe(page);
    expect(new URL(page).pathname).toBe('/Merchant/Index.aspx');
  });

  it('shows the amount, the description, Pay and Cancel for a correctly signed link', async () => {
    const { payment } = await newPayment('1000.00');
    const { status, html } = await openPage(payment.paymentUrl);
    expect(status).toBe(200);
    expect(html).toContain('1\u00a0000,00\u00a0₽');
    expect(html).toContain(`платёж №${payment.id}`);
    expect(html).toMatch(/>Оплатить</);
    expect(html).toMatch(/>Отмена</);
    expect(html).toContain('тестовый платёж');
  });

  it('refuses a forged, altered or incomplete link with an error page', async () => {
    const { payment } = await newPayment('250.00');
    const forged = new URL(payment.paymentUrl);
    forged.searchParams.set('SignatureValue', '0'.repeat(32));
    const altered = new URL(payment.paymentUrl);
    altered.searchParams.set('OutSum', '2500.00');
    const otherShop = new URL(signedLink({ OutSum: '250.00', InvId: String(payment.id) }));
    otherShop.searchParams.set('MerchantLogin', 'someone-else');
    const unsigned = new URL(payment.paymentUrl);
    unsigned.searchParams.delete('SignatureValue');
    for (const [url, why] of [
      [forged, 'подпись'],
      [altered, 'подпись'],
      [otherShop, 'не найден'],
      [unsigned, 'SignatureValue'],
    ] as const) {
      const { status, html } = await openPage(url.toString());
      expect(status, url.toString()).toBe(400);
      expect(html).toContain(why);
      expect(html).not.toContain('Оплатить');
    }
    // A forged form is checked again when it is posted, and nothing reaches the API.
    expect((await press({ ...Object.fromEntries(forged.searchParams) }, 'pay')).status).toBe(400);
    expect((await query('primary', 'SELECT status FROM payment WHERE id = ?', [payment.id]))[0].status).toBe('created');
  });

  it('escapes what the link says', async () => {
    const { html } = await openPage(signedLink({ OutSum: '10.00', InvId: '1', Description: '<script>alert(1)</script> & "x"' }));
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;x&#34;');
    expect(html).not.toContain('<script>');
  });

  it('takes OutSum in the forms Robokassa does, and formats its own with six decimals', () => {
    expect(formatOutSum(100_000)).toBe('1000.000000');
    expect(formatOutSum(5)).toBe('0.050000');
    expect(formatOutSum(123_456)).toBe('1234.560000');
  });
});

describe('Pay', () => {
  it('credits the balance once through ResultURL and sends the browser to the balance page', async () => {
    const { customer, payment } = await newPayment('1000.00');
    const form = formOf((await openPage(payment.paymentUrl)).html);
    expect(form).toMatchObject({ OutSum: '1000.00', InvId: String(payment.id), IsTest: '1' });

    const paid = await press(form, 'pay');
    expect(paid.status).toBe(303);
    const success = new URL(paid.headers.get('location')!);
    expect(`${success.origin}${success.pathname}`).toBe(`${stack.urls.site}/api/robokassa/success`);
    expect(Object.fromEntries(success.searchParams)).toEqual({
      OutSum: '1000.000000',
      InvId: String(payment.id),
      Culture: 'ru',
      SignatureValue: robokassaSignature(['1000.000000', payment.id, apiConfig.ROBOKASSA_PASSWORD1]),
    });
    await expectMoney(customer, { balance: '1000.00' });

    // The browser's next stop: the API, through the site, answers with the balance page.
    const back = await fetch(success, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${stack.env.SITE_URL}/#/balance?payment=success&invId=${payment.id}`);
    const landing = await fetch(back.headers.get('location')!);
    expect(landing.status).toBe(200);

    // Pressing Pay again (back button, double click) is Robokassa retrying: nothing more is credited.
    expect((await press(form, 'pay')).status).toBe(303);
    await expectMoney(customer, { balance: '1000.00' });
    expect((await customer.get('/api/payments')).body.items[0]).toMatchObject({ id: payment.id, status: 'received' });
    const topups = (await customer.get('/api/me/ledger')).body.items.filter((e: { kind: string }) => e.kind === 'topup');
    expect(topups).toHaveLength(1);
    await expectBooksBalanced();
  });

  it('shows an error, and no success, when the shop does not answer OK', async () => {
    // Signed correctly, but for an invoice the API never issued: ResultURL answers 400.
    const { html } = await openPage(signedLink({ OutSum: '10.00', InvId: '4000000000', IsTest: '1' }));
    const paid = await press(formOf(html), 'pay');
    expect(paid.status).toBe(502);
    expect(paid.headers.get('location')).toBeNull();
    expect(await paid.text()).toContain('ResultURL ответил 400');
  });
});

describe('Cancel', () => {
  it('credits nothing and sends the browser to the balance page with the failure', async () => {
    const { customer, payment } = await newPayment('300.00');
    const form = formOf((await openPage(payment.paymentUrl)).html);
    const cancelled = await press(form, 'cancel');
    expect(cancelled.status).toBe(303);
    const fail = new URL(cancelled.headers.get('location')!);
    expect(`${fail.origin}${fail.pathname}`).toBe(`${stack.urls.site}/api/robokassa/fail`);
    expect(fail.searchParams.get('InvId')).toBe(String(payment.id));
    const back = await fetch(fail, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${stack.env.SITE_URL}/#/balance?payment=fail&invId=${payment.id}`);
    await expectMoney(customer, { balance: '0.00' });
    expect((await customer.get('/api/payments')).body.items[0]).toMatchObject({ id: payment.id, status: 'created' });
  });
});

/** A ResultURL of our own, to see exactly what the emulator posts. */
async function capturingShop(): Promise<{ url: string; posted: Record<string, string>[]; close(): Promise<void> }> {
  const posted: Record<string, string>[] = [];
  const server = http.createServer(
    (req, res) =>
      void text(req).then((body) => {
        const fields = Object.fromEntries(new URLSearchParams(body));
        posted.push(fields);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK${fields.InvId}`);
      }),
  );
  const [port] = (await freePorts(1)) as [number];
  const listening = await listenOnLoopback(server, port);
  return { url: listening.url, posted, close: () => listening.close() };
}

async function ownEmulator(apiUrl: string, algorithm: 'md5' | 'sha256', port?: number) {
  port ??= ((await freePorts(1)) as [number])[0];
  return startRobokassaEmulator({
    port,
    apiUrl,
    siteUrl: stack.env.SITE_URL!,
    login: apiConfig.ROBOKASSA_LOGIN,
    password1: apiConfig.ROBOKASSA_PASSWORD1,
    password2: apiConfig.ROBOKASSA_PASSWORD2,
    algorithm,
  });
}

const digest = (algorithm: 'md5' | 'sha256', parts: (string | number)[]) => createHash(algorithm).update(parts.join(':')).digest('hex');

describe('what Pay posts to ResultURL', () => {
  it('is what Robokassa posts: OutSum, InvId, Fee, EMail, PaymentMethod, IncCurrLabel, the Shp_ fields, signed with Password2', async () => {
    const shop = await capturingShop();
    const emulator = await ownEmulator(shop.url, 'md5');
    try {
      const link = new URL(emulator.url);
      const fields = { MerchantLogin: apiConfig.ROBOKASSA_LOGIN, OutSum: '100.00', InvId: '31', shp_order: 'a1', SHP_Z: 'z' };
      for (const [name, value] of Object.entries(fields)) link.searchParams.set(name, value);
      link.searchParams.set(
        'SignatureValue',
        digest('md5', ['execorder-local', '100.00', '31', apiConfig.ROBOKASSA_PASSWORD1, 'SHP_Z=z', 'shp_order=a1']),
      );
      const { status, html } = await openPage(link.toString());
      expect(status, html).toBe(200);
      const paid = await fetch(emulator.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
        body: new URLSearchParams({ ...formOf(html), EMail: 'payer@test.local', Action: 'pay' }).toString(),
      });
      expect(paid.status).toBe(303);
      expect(shop.posted).toHaveLength(1);
      expect(shop.posted[0]).toEqual({
        OutSum: '100.000000',
        InvId: '31',
        Fee: '3.900000',
        EMail: 'payer@test.local',
        PaymentMethod: 'BankCard',
        IncCurrLabel: 'BankCardPSR',
        shp_order: 'a1',
        SHP_Z: 'z',
        SignatureValue: digest('md5', ['100.000000', '31', apiConfig.ROBOKASSA_PASSWORD2, 'SHP_Z=z', 'shp_order=a1']),
      });
    } finally {
      await emulator.close();
      await shop.close();
    }
  });
});

describe('the 54-FZ receipt', () => {
  let receiptApi: string;
  beforeAll(async () => {
    receiptApi = await extraApi({ ROBOKASSA_RECEIPT: '1' });
  }, 600_000);
  afterAll(() => stopExtraApis());

  it('is on the link when ROBOKASSA_RECEIPT=1: the page checks its signature, shows its line, and Pay credits (md5)', async () => {
    const customer = await register('customer');
    const payment = (await customer.post('/api/payments', { amount: '250.50' }, { base: receiptApi })).body as {
      id: number;
      paymentUrl: string;
    };
    const receipt = new URL(payment.paymentUrl).searchParams.get('Receipt')!;
    expect(JSON.parse(decodeURIComponent(receipt)).items[0]).toMatchObject({ sum: 250.5, payment_method: 'advance' });
    const { status, html } = await openPage(payment.paymentUrl);
    expect(status, html).toBe(200);
    expect(html).toContain(
      'data-testid="robokassa-receipt-line"><td>Пополнение баланса execorder</td><td>1</td><td>250,50\u00a0₽</td><td>none</td><td>advance</td>',
    );
    expect((await press(formOf(html), 'pay')).status).toBe(303);
    await expectMoney(customer, { balance: '250.50' });
    await expectBooksBalanced();
  });

  it('refuses a receipt changed after signing, and a malformed one, with an error page', async () => {
    const customer = await register('customer');
    const payment = (await customer.post('/api/payments', { amount: '40.00' }, { base: receiptApi })).body as {
      id: number;
      paymentUrl: string;
    };
    const altered = new URL(payment.paymentUrl);
    altered.searchParams.set('Receipt', altered.searchParams.get('Receipt')!.replace('none', 'vat20'));
    const forged = await openPage(altered.toString());
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('подпись');

    for (const [receipt, why] of [
      ['not-json', 'JSON'],
      [encodeURIComponent('{"items":[]}'), 'items'],
      [encodeURIComponent('{"items":[{"name":"x","quantity":1,"sum":39,"tax":"none"}]}'), 'OutSum'],
      [encodeURIComponent('{"items":[{"name":"x","quantity":1,"sum":40,"tax":"vat99"}]}'), 'tax'],
    ] as const) {
      const link = new URL(page);
      const fields = { MerchantLogin: apiConfig.ROBOKASSA_LOGIN, OutSum: '40.00', InvId: String(payment.id), Receipt: receipt };
      for (const [name, value] of Object.entries(fields)) link.searchParams.set(name, value);
      link.searchParams.set(
        'SignatureValue',
        robokassaSignature([fields.MerchantLogin, '40.00', payment.id, receipt, apiConfig.ROBOKASSA_PASSWORD1]),
      );
      const { status, html } = await openPage(link.toString());
      expect(status, receipt).toBe(400);
      expect(html).toContain('Receipt');
      expect(html).toContain(why);
      expect(html).not.toContain('Оплатить');
    }
  });

  it('is signed and checked with SHA-256 too (the link as an SHA-256 shop signs it; the unit tests hold the API to the same)', async () => {
    const shop = await capturingShop();
    const emulator = await ownEmulator(shop.url, 'sha256');
    try {
      const receipt = encodeURIComponent(
        JSON.stringify({
          sno: 'usn_income',
          items: [
            {
              name: 'Пополнение баланса execorder',
              quantity: 1,
              sum: 99.9,
              payment_method: 'advance',
              payment_object: 'payment',
              tax: 'none',
            },
          ],
        }),
      );
      const link = new URL(emulator.url);
      const fields = { MerchantLogin: apiConfig.ROBOKASSA_LOGIN, OutSum: '99.90', InvId: '77', Receipt: receipt };
      for (const [name, value] of Object.entries(fields)) link.searchParams.set(name, value);
      link.searchParams.set(
        'SignatureValue',
        digest('sha256', [fields.MerchantLogin, '99.90', '77', receipt, apiConfig.ROBOKASSA_PASSWORD1]),
      );
      const { status, html } = await openPage(link.toString());
      expect(status, html).toBe(200);
      expect(html).toContain('Пополнение баланса execorder');
      // An md5 signature is refused by an SHA-256 shop.
      link.searchParams.set('SignatureValue', digest('md5', [fields.MerchantLogin, '99.90', '77', receipt, apiConfig.ROBOKASSA_PASSWORD1]));
      expect((await openPage(link.toString())).status).toBe(400);
      const paid = await fetch(emulator.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
        body: new URLSearchParams({ ...formOf(html), Action: 'pay' }).toString(),
      });
      expect(paid.status).toBe(303);
      expect(shop.posted[0]!.SignatureValue).toBe(digest('sha256', ['99.900000', '77', apiConfig.ROBOKASSA_PASSWORD2]));
    } finally {
      await emulator.close();
      await shop.close();
    }
  });
});
