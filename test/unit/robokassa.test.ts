// Robokassa's signature rules as pure functions: the Shp_ prefix in any case, the pairs in
// Robokassa's order, the Receipt in its place, both hash modes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fiscalReceipt, paymentLink, paymentSignature, resultSignatureValid, shpSuffix } from '../../shared/payments/robokassa';

const hash = (algorithm: 'md5' | 'sha256', text: string) => createHash(algorithm).update(text).digest('hex');
const fiscal = { sno: 'usn_income', tax: 'none' } as const;

describe('Shp_ fields', () => {
  it('take shp_, Shp_ and SHP_ alike, keep each name as sent, and sort the name=value pairs', () => {
    expect(shpSuffix({ OutSum: '1', shp_b: '2', Shp_a: '1', SHP_C: '3', Other: 'x' })).toBe(':SHP_C=3:Shp_a=1:shp_b=2');
    // Sorted as pairs, so a name that is a prefix of another comes first.
    expect(shpSuffix({ Shp_ab: '1', Shp_a: '2' })).toBe(':Shp_a=2:Shp_ab=1');
  });

  it.each(['md5', 'sha256'] as const)('take part in the ResultURL check (%s) whatever the prefix case', (algorithm) => {
    const fields = { OutSum: '100.000000', InvId: '7', shp_user: '42', SHP_plan: 'pro' };
    const SignatureValue = hash(algorithm, '100.000000:7:p2:SHP_plan=pro:shp_user=42').toUpperCase();
    expect(resultSignatureValid(algorithm, 'p2', { ...fields, SignatureValue })).toBe(true);
    expect(resultSignatureValid(algorithm, 'p2', { ...fields, shp_user: '43', SignatureValue })).toBe(false);
  });
});

describe('the payment link', () => {
  it.each(['md5', 'sha256'] as const)('is signed MerchantLogin:OutSum:InvId:Password1 without a receipt (%s)', (algorithm) => {
    const url = new URL(
      paymentLink({
        baseUrl: 'https://auth.robokassa.ru/Merchant/Index.aspx',
        login: 'shop',
        password1: 'p1',
        algorithm,
        test: false,
        outSum: '250.00',
        invId: 12,
        description: 'Пополнение',
      }),
    );
    expect(url.searchParams.get('Receipt')).toBeNull();
    expect(url.searchParams.get('SignatureValue')).toBe(hash(algorithm, 'shop:250.00:12:p1'));
  });

  it.each(['md5', 'sha256'] as const)('carries the URL-encoded receipt and signs it after InvId (%s)', (algorithm) => {
    const receipt = fiscalReceipt(25_050, fiscal);
    const url = new URL(
      paymentLink({
        baseUrl: 'https://auth.robokassa.ru/Merchant/Index.aspx',
        login: 'shop',
        password1: 'p1',
        algorithm,
        test: true,
        outSum: '250.50',
        invId: 12,
        description: 'Пополнение',
        receipt,
      }),
    );
    // The parameter's value is the JSON encoded once; the raw query shows it encoded again.
    expect(url.searchParams.get('Receipt')).toBe(receipt);
    expect(url.search).toContain('Receipt=%257B%2522sno%2522');
    expect(url.searchParams.get('SignatureValue')).toBe(hash(algorithm, `shop:250.50:12:${receipt}:p1`));
    expect(paymentSignature(algorithm, 'p1', { MerchantLogin: 'shop', OutSum: '250.50', InvId: '12', Receipt: receipt })).toBe(
      url.searchParams.get('SignatureValue'),
    );
  });

  it('has exactly the receipt of API.md: one advance line of the amount', () => {
    expect(JSON.parse(decodeURIComponent(fiscalReceipt(25_050, { sno: 'osn', tax: 'vat20' })))).toEqual({
      sno: 'osn',
      items: [
        {
          name: 'Пополнение баланса execorder',
          quantity: 1,
          sum: 250.5,
          payment_method: 'advance',
          payment_object: 'payment',
          tax: 'vat20',
        },
      ],
    });
    expect(decodeURIComponent(fiscalReceipt(100_000, fiscal))).toContain('"sum":1000,');
  });
});
