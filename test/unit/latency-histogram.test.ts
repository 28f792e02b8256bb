import { describe, expect, it } from 'vitest';
import { bucketOf, percentileOf, upperBoundMs } from '../../shared/ops/latency-histogram';

describe('the latency histogram', () => {
  it('puts every duration in a bucket at most 5 % wider than it', () => {
    for (const ms of [0.011, 0.5, 1, 3.3, 17, 250, 999.999, 12_345, 3_600_000]) {
      const bound = upperBoundMs(bucketOf(ms));
      expect(bound).toBeGreaterThanOrEqual(ms - 0.001);
      expect(bound).toBeLessThanOrEqual(ms * 1.05 + 0.001);
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
  });

  it('reads nearest-rank percentiles from the buckets', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => i + 1);
    const counts = new Map<number, number>();
    for (const ms of samples) counts.set(bucketOf(ms), (counts.get(bucketOf(ms)) ?? 0) + 1);
    for (const [p, exact] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      const read = percentileOf([...counts], p);
      expect(read).toBeGreaterThanOrEqual(exact);
      expect(read).toBeLessThanOrEqual(exact * 1.05);
    }
    expect(percentileOf([], 0.5)).toBe(0);
  });
});
