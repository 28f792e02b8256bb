// Robokassa's signatures and payment link. Pure functions: the rules are Robokassa's, not ours.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';

export type RobokassaHash = Config['ROBOKASSA_HASH'];

export function robokassaHash(algorithm: RobokassaHash, text: string): string {
  return createHash(algorithm).update(text, 'utf8').digest('hex');
}

/** Robokassa's user fields: the prefix in any case (`shp_`, `Shp_`, `SHP_`), as its SDKs accept them. */
const SHP_PREFIX = /^shp_/i;

/**
 * User fields take part in signatures as `:Shp_a=1:Shp_b=2`. Robokassa documents them "in
 * alphabetical order" (docs.robokassa.ru/script-parameters); its own SDK (robokassa/sdk-php,
 * src/Signature/SignatureService.php, collectShpPairs) matches the prefix case-insensitively and
 * sorts the `name=value` strings by code unit, keeping each name as it was sent. We do the same.
 */
export function shpSuffix(fields: Record<string, string>): string {
  const pairs = Object.keys(fields)
    .filter((name) => SHP_PREFIX.test(name))
    .map((name) => `${name}=${fields[name]}`);
  pairs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map((pair) => `:${pair}`).join('');
}

/**
 * The payment link's signature: HASH(MerchantLogin:OutSum:InvId[:Receipt]:Password1[:Shp_…]), with
 * Receipt exactly as the link's parameter carries it (URL-encoded JSON; see fiscalReceipt).
 */
export function paymentSignature(algorithm: RobokassaHash, password1: string, fields: Record<string, string>): string {
  const receipt = fields.Receipt ? `:${fields.Receipt}` : '';
  return robokassaHash(algorithm, `${fields.MerchantLogin}:${fields.OutSum}:${fields.InvId}${receipt}:${password1}${shpSuffix(fields)}`);
}

/** The ResultURL check: HASH(OutSum:InvId:Password2[:Shp_…]) over OutSum exactly as received. */
export function resultSignatureValid(algorithm: RobokassaHash, password2: string, fields: Record<string, string>): boolean {
  const expected = robokassaHash(algorithm, `${fields.OutSum}:${fields.InvId}:${password2}${shpSuffix(fields)}`);
  return sameSignature(expected, fields.SignatureValue);
}

/** Case-insensitive and constant-time. */
function sameSignature(expected: string, given: string | undefined): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from((given ?? '').toLowerCase(), 'utf8');
  // Lengths differ only for a malformed value; comparing equal lengths keeps the check constant-time.
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface FiscalSettings {
  sno: Config['FISCAL_SNO'];
  tax: Config['FISCAL_TAX'];
}

/**
 * The 54-FZ receipt of a top-up (API.md, "Fiscal receipt on top-ups"): one line, an advance, as
 * the `Receipt` parameter's value: the JSON URL-encoded once. Robokassa's fiscalization page
 * (docs.robokassa.ru/ru/fiscalization: "Значение параметра Receipt перед использованием в строке
 * для подсчета контрольной суммы и отправкой его формой необходимо URL-кодировать") asks for one
 * encoding of the value, which is what the signature is computed over; putting that value in the
 * link's query string then encodes it once more, as any value (so the raw URL shows `%257B…`).
 */
export function fiscalReceipt(kopecks: number, fiscal: FiscalSettings): string {
  const receipt = {
    sno: fiscal.sno,
    items: [
      {
        name: 'Пополнение баланса execorder',
        quantity: 1,
        sum: kopecks / 100,
        payment_method: 'advance',
        payment_object: 'payment',
        tax: fiscal.tax,
      },
    ],
  };
  return encodeURIComponent(JSON.stringify(receipt));
}

export interface PaymentLinkInput {
  baseUrl: string;
  login: string;
  password1: string;
  algorithm: RobokassaHash;
  test: boolean;
  outSum: string;
  invId: number;
  description: string;
  culture?: 'ru' | 'en';
  /** The Receipt parameter's value (fiscalReceipt), when the shop fiscalizes through Robokassa. */
  receipt?: string;
}

/** The payment page link with MerchantLogin, OutSum, InvId, Description[, Receipt] and its signature. */
export function paymentLink(input: PaymentLinkInput): string {
  const url = new URL(input.baseUrl);
  const signature = paymentSignature(input.algorithm, input.password1, {
    MerchantLogin: input.login,
    OutSum: input.outSum,
    InvId: String(input.invId),
    ...(input.receipt ? { Receipt: input.receipt } : {}),
  });
  url.searchParams.set('MerchantLogin', input.login);
  url.searchParams.set('OutSum', input.outSum);
  url.searchParams.set('InvId', String(input.invId));
  url.searchParams.set('Description', input.description);
  if (input.receipt) url.searchParams.set('Receipt', input.receipt);
  url.searchParams.set('Culture', input.culture ?? 'ru');
  url.searchParams.set('SignatureValue', signature);
  if (input.test) url.searchParams.set('IsTest', '1');
  return url.toString();
}

/** Robokassa's OutSum ("1000.000000") in kopecks, or null when it is not an exact kopeck amount. */
export function outSumKopecks(outSum: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(outSum);
  if (!m) return null;
  const fraction = (m[2] ?? '').padEnd(6, '0');
  if (fraction.slice(2) !== '0000') return null;
  return Number(m[1]) * 100 + Number(fraction.slice(0, 2));
}
