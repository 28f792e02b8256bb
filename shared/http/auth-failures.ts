// Guessing tokens is rate limited per address: each request whose bearer token names no live
// session counts, and past AUTH_FAILURES_PER_MINUTE an address gets 429 for the rest of the minute
// before its token is even looked up, so a right guess cannot tell itself from a wrong one.
// A dead cache counts nothing (null) and the API keeps serving, as with the other limits.
import { cacheCount, cacheGet } from '../cache/memcache';
import { config } from '../config';
import { rateLimited } from './errors';

function window(ip: string, nowMs: number): { key: string; retryAfter: number } {
  const second = Math.floor(nowMs / 1000);
  return { key: `${config.RATE_LIMIT_KEY_PREFIX}:authfail:${ip}:${Math.floor(second / 60)}`, retryAfter: 60 - (second % 60) };
}

/** Throws 429 when the address has already used up its failed authentications this minute. */
export async function refuseWhileGuessing(ip: string, nowMs = Date.now()): Promise<void> {
  if (config.AUTH_FAILURES_PER_MINUTE === 0) return;
  const { key, retryAfter } = window(ip, nowMs);
  const failures = Number(await cacheGet(key));
  if (failures >= config.AUTH_FAILURES_PER_MINUTE) throw rateLimited(retryAfter);
}

/** Counts one failed authentication; throws 429 when it is one too many. */
export async function countAuthFailure(ip: string, nowMs = Date.now()): Promise<void> {
  if (config.AUTH_FAILURES_PER_MINUTE === 0) return;
  const { key, retryAfter } = window(ip, nowMs);
  const failures = await cacheCount(key, 61);
  if (failures !== null && failures > config.AUTH_FAILURES_PER_MINUTE) throw rateLimited(retryAfter);
}
