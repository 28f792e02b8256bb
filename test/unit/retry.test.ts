// When a failed delivery comes back: the backoff, or Telegram's retry_after when that is longer.
import { describe, expect, it } from 'vitest';
import { nextTryDelaySeconds } from '../../shared/notifications/consumer';
import { retryDelaySeconds } from '../../shared/events/queue';

describe('nextTryDelaySeconds', () => {
  it('is the backoff without a retry_after, and never less than a retry_after', () => {
    expect(nextTryDelaySeconds(1, 0)).toBe(retryDelaySeconds(1));
    expect(nextTryDelaySeconds(2, 0)).toBe(retryDelaySeconds(2));
    expect(nextTryDelaySeconds(1, 37)).toBe(Math.max(37, retryDelaySeconds(1)));
    expect(nextTryDelaySeconds(1, 2.2)).toBeGreaterThanOrEqual(3);
    expect(nextTryDelaySeconds(4, 1)).toBe(retryDelaySeconds(4));
  });
});
