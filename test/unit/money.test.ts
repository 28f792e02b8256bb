import { describe, expect, it } from 'vitest';
import { commissionOf, formatMoney, MoneyInput, toKopecks } from '../../shared/money/kopecks';

describe('money arithmetic', () => {
  it.each([
    ['123.45', 10, '12.35'],
    ['0.10', 7, '0.01'],
    ['0.05', 10, '0.01'],
    ['0.04', 10, '0.00'],
    ['999999.99', 10, '100000.00'],
    ['100.00', 0, '0.00'],
    ['100.00', 12.5, '12.50'],
    ['0.01', 50, '0.01'],
  ])('commission of %s at %s%% is %s (half-up)', (reward, percent, expected) => {
    expect(formatMoney(commissionOf(toKopecks(reward), percent))).toBe(expected);
  });

  it('the executor gets reward minus commission: 123.45 at 10% → 111.10', () => {
    const reward = toKopecks('123.45');
    expect(formatMoney(reward - commissionOf(reward, 10))).toBe('111.10');
  });

  it('formats and parses exactly, with two places', () => {
    expect(formatMoney(toKopecks('150'))).toBe('150.00');
    expect(formatMoney(toKopecks('150.5'))).toBe('150.50');
    expect(formatMoney(toKopecks('-0.07'))).toBe('-0.07');
    expect(formatMoney(5)).toBe('0.05');
  });

  it.each(['150', '150.5', '150.50', 150, 150.5, '999999.99', '0.01'])('accepts %j as an amount', (value) => {
    expect(MoneyInput.safeParse(value).success).toBe(true);
  });

  it.each(['150.555', '0', '0.00', '-5', -5, 'NaN', NaN, '1e3', 1e21, '1000000.00', 1000000, '', ' 12', '12,50', Infinity, null, true])(
    'rejects %j as an amount',
    (value) => {
      expect(MoneyInput.safeParse(value).success).toBe(false);
    },
  );
});
