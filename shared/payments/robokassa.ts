// Robokassa's signatures and payment link. Pure functions: the rules are Robokassa's, not ours.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';

export type RobokassaHash = Config['ROBOKASSA_HASH'];

export function robokassaHash(algorithm: RobokassaHash, text: string): string {
  return createHash(algorithm).update(text, 'utf8').digest('hex');
}

/** `Shp_` fields take part in signatures as `:Shp_a=1:Shp_b=2`, sorted by name. */
export function shpSuffix(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((name) => name.startsWith('Shp_'))
    .sort()
    .map((name) => `:${name}=${fields[name]}`)
    .join('');
}

/** The payment link's signature: HASH(MerchantLogin:OutSum:InvId:Password1[:Shp_…]). */
export function paymentSignature(
  algorithm: RobokassaHash, password1: string, fields: Record<string, string>,
): string {
  return robokassaHash(algorithm, `${fields.MerchantLogin}:${fields.OutSum}:${fields.InvId}:${password1}${shpSuffix(fields)}`);
}

/**
 * The signature Robokassa puts on ResultURL (with Password2) and on SuccessURL (with Password1):
 * HASH(OutSum:InvId:Password[:Shp_…]), over OutSum exactly as sent.
 */
export function resultSignature(
  algorithm: RobokassaHash, password: string, fields: Record<string, string>,
): string {
  return robokassaHash(algorithm, `${fields.OutSum}:${fields.InvId}:${password}${shpSuffix(fields)}`);
}

/** The ResultURL signature check: HASH(OutSum:InvId:Password2[:Shp_…]) over OutSum exactly as received. */
export function resultSignatureValid(
  algorithm: RobokassaHash, password2: string, fields: Record<string, string>,
): boolean {
  return sameSignature(resultSignature(algorithm, password2, fields), fields.SignatureValue);
}

/** The payment page's check of the link (what the local emulator does in Robokassa's place). */
export function paymentSignatureValid(
  algorithm: RobokassaHash, password1: string, fields: Record<string, string>,
): boolean {
  return sameSignature(paymentSignature(algorithm, password1, fields), fields.SignatureValue);
}

/** Case-insensitive and constant-time. */
function sameSignature(expected: string, given: string | undefined): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from((given ?? '').toLowerCase(), 'utf8');
  // Lengths differ only for a malformed value; comparing equal lengths keeps the check constant-time.
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface PaymentLinkInput {
  baseUrl: string; login: string; password1: string; algorithm: RobokassaHash; test: boolean;
  outSum: string; invId: number; description: string; culture?: 'ru' | 'en';
}

/** The payment page link with MerchantLogin, OutSum, InvId, Description and HASH(MerchantLogin:OutSum:InvId:Password1). */
export function paymentLink(input: PaymentLinkInput): string {
  const url = new URL(input.baseUrl);
  const signature = paymentSignature(input.algorithm, input.password1, {
    MerchantLogin: input.login, OutSum: input.outSum, InvId: String(input.invId),
  });
  url.searchParams.set('MerchantLogin', input.login);
  url.searchParams.set('OutSum', input.outSum);
  url.searchParams.set('InvId', String(input.invId));
  url.searchParams.set('Description', input.description);
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

/** Kopecks as Robokassa writes OutSum in its callbacks: six decimals, "1000.000000". */
export function formatOutSum(kopecks: number): string {
  return `${Math.trunc(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}0000`;
}
