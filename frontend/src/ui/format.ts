// Display formats. Money stays a decimal string end to end: it is re-grouped, never
// turned into a float.
import { t } from '../i18n';

const MONEY = /^(-)?(\d+)(?:\.(\d+))?$/;

/** "1500.5" → "1 500,50 ₽" (in the active locale). Unknown shapes are shown as they came. */
export function formatMoney(amount: string | number): string {
  const normalized = normalizeMoney(amount);
  const match = MONEY.exec(normalized);
  if (!match) return `${String(amount)} ${t.money.currency}`;
  const [, sign = '', whole = '0', fraction = '00'] = match;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, t.money.group);
  const minus = sign ? '\u2212' : '';
  return `${minus}${grouped}${t.money.decimal}${fraction}\u00a0${t.money.currency}`;
}

/** The contract's two-decimal string for an amount, e.g. "150" → "150.00" (for data attributes). */
export function normalizeMoney(amount: string | number): string {
  // A number only reaches here if a server breaks the contract; showing it is all we do with it.
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  const match = MONEY.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const cents = (fraction + '00').slice(0, 2);
  const wholeTrimmed = whole.replace(/^0+(?=\d)/, '');
  return `${sign}${wholeTrimmed}.${cents}`;
}

const AMOUNT_INPUT = /^\d{1,6}(?:\.\d{1,2})?$/;

/**
 * What the user typed ("1 500,5") as the contract's input string ("1500.5"),
 * or null when it is not a positive amount up to 999999.99 with two decimals at most.
 */
export function parseAmountInput(raw: string): string | null {
  const text = parseAmountOrZero(raw);
  if (text === null || /^0+(?:\.0*)?$/.test(text)) return null;
  return text;
}

/** Like parseAmountInput, but zero is an amount too (a dispute may give the executor nothing). */
export function parseAmountOrZero(raw: string): string | null {
  const text = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return AMOUNT_INPUT.test(text) ? text : null;
}

/** A decimal amount ("150.5", "-12.00") as whole kopecks, for exact differences; null for other shapes. */
export function toKopecks(amount: string): number | null {
  const match = MONEY.exec(normalizeMoney(amount));
  if (!match) return null;
  const [, sign = '', whole = '0', fraction = '00'] = match;
  const kopecks = Number(whole) * 100 + Number(fraction);
  return sign ? -kopecks : kopecks;
}

/** Whole kopecks as the contract's string: 1250 → "12.50". */
export function fromKopecks(kopecks: number): string {
  const abs = Math.abs(kopecks);
  return `${kopecks < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

let dateTime: Intl.DateTimeFormat | null = null;

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  dateTime ??= new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short' });
  return dateTime.format(date);
}
