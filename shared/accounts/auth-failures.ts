// Guessing tokens is limited per address: each request whose bearer token names no live session
// counts, and past AUTH_FAILURES_PER_MINUTE the address gets 429 for the rest of the minute
// whatever its token, so a right guess cannot tell itself from a wrong one. The count lives in
// `auth_failure` on the primary and comes back with the session lookup itself (one statement):
// checking it costs an authenticated request no round trip. A primary that cannot count (down)
// counts nothing, and the API keeps serving, as with the other limits.
import { bestEffortWrite } from '../db/best-effort';
import { config } from '../config';
import { rateLimited } from '../errors';

/** An address's current minute of counting. */
export interface GuessWindow {
  ip: string;
  minute: number;
  retryAfter: number;
}

export function guessWindow(ip: string, nowMs = Date.now()): GuessWindow {
  const second = Math.floor(nowMs / 1000);
  return { ip, minute: Math.floor(second / 60), retryAfter: 60 - (second % 60) };
}

/** Throws 429 when the address had used up its failed authentications this minute before this request. */
export function refuseWhileGuessing(window: GuessWindow, failures: number): void {
  if (config.AUTH_FAILURES_PER_MINUTE > 0 && failures >= config.AUTH_FAILURES_PER_MINUTE) throw rateLimited(window.retryAfter);
}

/** Counts one failed authentication (`failures` were counted before it); throws 429 when it is one too many. */
export async function countAuthFailure(window: GuessWindow, failures: number): Promise<void> {
  if (config.AUTH_FAILURES_PER_MINUTE === 0) return;
  await bestEffortWrite(
    'failed authentication count',
    'INSERT INTO auth_failure (ip, minute, failures) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE failures = failures + 1',
    [window.ip.slice(0, 45), window.minute],
  );
  if (failures + 1 > config.AUTH_FAILURES_PER_MINUTE) throw rateLimited(window.retryAfter);
}
