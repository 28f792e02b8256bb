// Fixed-window counters per client in memcached: one for the current second, one for the minute.
import { cacheCount } from './memcache';

export interface Limits {
  perSecond: number;
  perMinute: number;
}

/** Seconds until the client may retry, or 0 when the request is within both limits (0 disables a limit). */
export async function overLimitFor(client: string, limits: Limits, prefix: string, nowMs = Date.now()): Promise<number> {
  const second = Math.floor(nowMs / 1000);
  const minute = Math.floor(second / 60);
  const [inSecond, inMinute] = await Promise.all([
    limits.perSecond > 0 ? cacheCount(`${prefix}:s:${client}:${second}`, 2) : null,
    limits.perMinute > 0 ? cacheCount(`${prefix}:m:${client}:${minute}`, 61) : null,
  ]);
  // A dead cache counts nothing (null): the API keeps serving without limits rather than failing.
  if (inMinute !== null && inMinute > limits.perMinute) return 60 - (second % 60);
  if (inSecond !== null && inSecond > limits.perSecond) return 1;
  return 0;
}
