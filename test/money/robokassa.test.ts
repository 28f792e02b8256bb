// Robokassa's ResultURL: credited exactly once, only for a valid signature and the right amount.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraApi, startService, stopExtraApis, stopService } from '../helpers/control';
import { eventually, query } from '../helpers/db';
import { call, errorOf } from '../helpers/http';
import { invoke } from '../helpers/invoke';
import { apiConfig, expectBooksBalanced, expectMoney, payCallback, robokassaSignature } from '../helpers/money';
import { admin, register } from '../helpers/users';

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  raw: true,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

async function newPayment(amount = '250.00') {
  const customer = await register('customer');
  const payment = await customer.post('/api/payments', { amount });
  expect(payment.status).toBe(201);
  return { customer, payment: payment.body };
}

describe('POST /api/payments', () => {
  it('creates a payment with a signed payment link', async () => {
    const { customer, payment } = await newPayment('1000.00');
    expect(payment).toMatchObject({ id: expect.any(Number), amount: '1000.00', status: 'created' });
    const url = new URL(payment.paymentUrl);
    expect(`${url.origin}${url.pathname}`).toBe(new URL(apiConfig.ROBOKASSA_URL).href.split('?')[0]);
    const p = url.searchParams;
    expect(p.get('MerchantLogin')).toBe(apiConfig.ROBOKASSA_LOGIN);
    expect(p.get('OutSum')).toBe('1000.00');
    expect(p.get('InvId')).toBe(String(payment.id));
    expect(p.get('Description')).toBeTruthy();
    expect(p.get('SignatureValue')).toBe(
      robokassaSignature([apiConfig.ROBOKASSA_LOGIN, '1000.00', payment.id, apiConfig.ROBOKASSA_PASSWORD1]),
    );
    const list = await customer.get('/api/payments');
    expect(list.body.items[0]).toEqual({ id: payment.id, amount: '1000.00', status: 'created', createdAt: payment.createdAt });
  });

  it('refuses executors, and amounts that are not money', async () => {
    const executor = await register('executor');
    expect(errorOf(await executor.post('/api/payments', { amount: '100' }))).toEqual({ status: 403, code: 'forbidden' });
    const customer = await register('customer');
    for (const amount of ['0', '-1', '1.001', 'abc', '1000000']) {
      expect(errorOf(await customer.post('/api/payments', { amount }))).toEqual({ status: 400, code: 'validation_failed' });
    }
  });
});

describe('POST /api/robokassa/result', () => {
  it('credits a valid callback once and answers OK{InvId}, with OutSum in six decimals', async () => {
    const { customer, payment } = await newPayment('250.00');
    const res = await payCallback(payment.id, '250.00');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toBe(`OK${payment.id}`);
    const again = await payCallback(payment.id, '250.00');
    expect(again.text).toBe(`OK${payment.id}`);
    await expectMoney(customer, { balance: '250.00' });
    expect((await customer.get('/api/payments')).body.items[0].status).toBe('received');
    await expectBooksBalanced();
  });

  it('credits once when three valid callbacks arrive at the same moment', async () => {
    const { customer, payment } = await newPayment('300.00');
    const answers = await Promise.all([1, 2, 3].map(() => payCallback(payment.id, '300.00')));
    for (const a of answers) expect(a.text).toBe(`OK${payment.id}`);
    await expectMoney(customer, { balance: '300.00' });
    const movements = await query('primary', 'SELECT COUNT(*) AS n FROM ledger_movement WHERE payment_id = ?', [payment.id]);
    expect(Number(movements[0].n)).toBe(1);
  });

  it('refuses a forged signature, a wrong amount and an unknown InvId with 400, crediting nothing, and logs each', async () => {
    const { customer, payment } = await newPayment('100.00');
    const forged = await call(
      'POST',
      '/api/robokassa/result',
      form({ OutSum: '100.000000', InvId: String(payment.id), SignatureValue: 'a'.repeat(32) }),
    );
    const wrongAmount = await payCallback(payment.id, '1000.00');
    const unknown = await payCallback(2_000_000_000, '100.00');
    for (const r of [forged, wrongAmount, unknown]) expect(r.status).toBe(400);
    await expectMoney(customer, { balance: '0.00' });
    const boss = await admin();
    const errors = (await boss.get('/api/admin/errors?limit=20')).body.items.map((e: { message: string }) => e.message);
    expect(errors.some((m: string) => m.includes('Bad signature'))).toBe(true);
    expect(errors.some((m: string) => m.includes('Unknown InvId'))).toBe(true);
    expect(errors.some((m: string) => m.includes('amount'))).toBe(true);
  });

  it('accepts an upper-case signature and includes Shp_ fields sorted by name', async () => {
    const { customer, payment } = await newPayment('120.00');
    const outSum = '120.000000';
    const signature = robokassaSignature([outSum, payment.id, apiConfig.ROBOKASSA_PASSWORD2, 'Shp_a=1', 'Shp_b=two']).toUpperCase();
    const res = await call(
      'POST',
      '/api/robokassa/result',
      form({ OutSum: outSum, InvId: String(payment.id), SignatureValue: signature, Shp_b: 'two', Shp_a: '1' }),
    );
    expect(res.text).toBe(`OK${payment.id}`);
    await expectMoney(customer, { balance: '120.00' });
  });

  it('credits a late callback after the payment became outdated', async () => {
    const { customer, payment } = await newPayment('90.00');
    await query('primary', 'UPDATE payment SET created_at = NOW(3) - INTERVAL ? MINUTE WHERE id = ?', [
      apiConfig.PAYMENT_TTL_HOURS * 60 + 1,
      payment.id,
    ]);
    const result = await invoke('paymentsOutdated');
    expect(result.outdated).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect((await customer.get('/api/payments')).body.items[0].status).toBe('outdated'));
    expect((await payCallback(payment.id, '90.00')).text).toBe(`OK${payment.id}`);
    await expectMoney(customer, { balance: '90.00' });
    await expectBooksBalanced();
  });

  it('answers 5xx while the primary is down, so Robokassa retries, and credits on the retry', async () => {
    const { customer, payment } = await newPayment('77.00');
    await stopService('primary');
    let during;
    try {
      during = await payCallback(payment.id, '77.00');
    } finally {
      await startService('primary');
    }
    expect(during.status).toBeGreaterThanOrEqual(500);
    expect(during.text).not.toContain('OK');
    const retry = await eventually(
      async () => {
        const r = await payCallback(payment.id, '77.00');
        expect(r.text).toBe(`OK${payment.id}`);
        return r;
      },
      15_000,
      250,
    );
    expect(retry.status).toBe(200);
    await expectMoney(customer, { balance: '77.00' });
    await expectBooksBalanced();
  });
});

describe('ROBOKASSA_HASH=sha256', () => {
  let sha256Api: string;
  beforeAll(async () => {
    sha256Api = await extraApi({ ROBOKASSA_HASH: 'sha256' });
  }, 120_000);
  afterAll(() => stopExtraApis());

  it('signs the link and checks the callback with SHA-256', async () => {
    const customer = await register('customer');
    const payment = (await customer.post('/api/payments', { amount: '40.00' }, { base: sha256Api })).body;
    const sha256 = (parts: (string | number)[]) => createHash('sha256').update(parts.join(':')).digest('hex');
    expect(new URL(payment.paymentUrl).searchParams.get('SignatureValue')).toBe(
      sha256([apiConfig.ROBOKASSA_LOGIN, '40.00', payment.id, apiConfig.ROBOKASSA_PASSWORD1]),
    );
    const fields = { OutSum: '40.000000', InvId: String(payment.id) };
    const md5Signed = await call('POST', '/api/robokassa/result', {
      ...form({ ...fields, SignatureValue: robokassaSignature([fields.OutSum, payment.id, apiConfig.ROBOKASSA_PASSWORD2]) }),
      base: sha256Api,
    });
    expect(md5Signed.status).toBe(400);
    const ok = await call('POST', '/api/robokassa/result', {
      ...form({ ...fields, SignatureValue: sha256([fields.OutSum, payment.id, apiConfig.ROBOKASSA_PASSWORD2]) }),
      base: sha256Api,
    });
    expect(ok.text).toBe(`OK${payment.id}`);
    await expectMoney(customer, { balance: '40.00' });
  });
});

describe('SuccessURL and FailURL', () => {
  it('send the browser to the balance page and change no money', async () => {
    const { customer, payment } = await newPayment('60.00');
    const success = await call('GET', `/api/robokassa/success?OutSum=60.00&InvId=${payment.id}&SignatureValue=x&Culture=ru`);
    const fail = await call('GET', `/api/robokassa/fail?OutSum=60.00&InvId=${payment.id}&Culture=ru`);
    expect(success.status).toBe(302);
    expect(success.headers.get('location')).toMatch(/\/#\/balance\?payment=success/);
    expect(fail.status).toBe(302);
    expect(fail.headers.get('location')).toMatch(/\/#\/balance\?payment=fail/);
    expect((await customer.get('/api/payments')).body.items[0].status).toBe('created');
    await expectMoney(customer, { balance: '0.00' });
  });
});

describe('Shp_ fields in any case', () => {
  it('credits a callback whose user fields are shp_ and SHP_, signed over the pairs in Robokassa order', async () => {
    const { customer, payment } = await newPayment('130.00');
    const outSum = '130.000000';
    const signature = robokassaSignature([outSum, payment.id, apiConfig.ROBOKASSA_PASSWORD2, 'SHP_plan=pro', 'shp_user=7']);
    const res = await call(
      'POST',
      '/api/robokassa/result',
      form({
        OutSum: outSum,
        InvId: String(payment.id),
        SignatureValue: signature,
        shp_user: '7',
        SHP_plan: 'pro',
        Fee: '5.07',
        EMail: 'payer@test.local',
        PaymentMethod: 'BankCard',
        IncCurrLabel: 'BankCardPSR',
      }),
    );
    expect(res.text).toBe(`OK${payment.id}`);
    await expectMoney(customer, { balance: '130.00' });
    // Leaving a lower-case field out of the signature is a forgery like any other.
    const { payment: other } = await newPayment('131.00');
    const unsigned = await call(
      'POST',
      '/api/robokassa/result',
      form({
        OutSum: '131.000000',
        InvId: String(other.id),
        SignatureValue: robokassaSignature(['131.000000', other.id, apiConfig.ROBOKASSA_PASSWORD2]),
        shp_user: '7',
      }),
    );
    expect(unsigned.status).toBe(400);
  });
});
