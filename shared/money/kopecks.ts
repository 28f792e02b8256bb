// Money is an integer number of kopecks inside the product; decimal strings only at the edges.
import { z } from 'zod';

export type Kopecks = number & { readonly __unit: 'kopecks' };

/** The most an account bucket holds: its column is DECIMAL(12,2), 9 999 999 999.99. */
export const MAX_BUCKET_KOPECKS = 999_999_999_999 as Kopecks;

const DECIMAL = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/;

/** Parses a decimal string such as "150", "150.5" or "-12.30" (as MySQL DECIMAL columns arrive). */
export function toKopecks(decimal: string): Kopecks {
  const m = DECIMAL.exec(decimal.trim());
  if (!m) throw new Error(`not a money amount: ${decimal}`);
  const units = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return (m[1] ? -units : units) as Kopecks;
}

/** The same amount the other way: a debit leg of a credit. */
export const negate = (k: Kopecks): Kopecks => (0 - k) as Kopecks;

/** "150.00", "-0.50": exactly two places, never through a float. */
export function formatMoney(k: number): string {
  const abs = Math.abs(k);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return k < 0 ? `-${text}` : text;
}

/** Amount input of the contract: a string or JSON number, at most two decimals, at most 999999.99; positive unless `zero` is allowed. */
function amountInput(zero: 'zero allowed' | 'positive') {
  return z.union([z.string(), z.number()]).transform((value, ctx): Kopecks => {
    const text = typeof value === 'number' ? String(value) : value;
    if (!/^\d{1,6}(\.\d{1,2})?$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'must be an amount with at most two decimals, up to 999999.99' });
      return z.NEVER;
    }
    const k = toKopecks(text);
    if (k <= 0 && zero === 'positive') {
      ctx.addIssue({ code: 'custom', message: 'must be greater than zero' });
      return z.NEVER;
    }
    return k;
  });
}

export const MoneyInput = amountInput('positive');
/** A dispute's amounts may be 0.00 (API v2, the one exception to the rule against zero). */
export const MoneyOrZeroInput = amountInput('zero allowed');

/** reward × percent / 100, rounded half-up to the kopeck, in integers (percent may have two decimals). */
export function commissionOf(reward: Kopecks, percent: number): Kopecks {
  const basisPoints = Math.round(percent * 100);
  const scaled = reward * basisPoints;
  const whole = Math.floor(scaled / 10_000);
  return (scaled % 10_000 >= 5_000 ? whole + 1 : whole) as Kopecks;
}
