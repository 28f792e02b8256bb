// The handler-time statistics and the error log, written straight to the primary, never
// through a request's own transaction, and never able to fail the request they describe.
import { dbNodes } from '../db/nodes';

interface Sample { route: string; status: number; durationMs: number; at: Date }

const FLUSH_EVERY_MS = 1000;
const FLUSH_AT_ROWS = 200;
const MAX_BUFFERED = 5000;

let buffer: Sample[] = [];
let lastFlush = Date.now();

/** Buffers one sample; every second or 200 samples the buffer goes to the database in one INSERT. */
export async function recordTiming(sample: Sample): Promise<void> {
  if (buffer.length < MAX_BUFFERED) buffer.push(sample);
  // The flush is not awaited: no request waits for the statistics of others.
  if (buffer.length >= FLUSH_AT_ROWS || Date.now() - lastFlush >= FLUSH_EVERY_MS) void flushTimings();
}

export async function flushTimings(): Promise<void> {
  const { primary } = dbNodes();
  if (buffer.length === 0 || !primary.isUp()) return;
  const batch = buffer;
  buffer = [];
  lastFlush = Date.now();
  await primary.pool
    .query('INSERT INTO request_stat (route, status, duration_ms, created_at) VALUES ?',
      [batch.map((s) => [s.route, s.status, s.durationMs.toFixed(3), s.at])])
    .catch(() => undefined);
}

export async function logError(requestId: string, route: string, message: string, detail?: string): Promise<void> {
  console.error(`[${requestId}] ${route}: ${message}${detail ? `\n${detail}` : ''}`);
  const { primary } = dbNodes();
  if (!primary.isUp()) return;
  await primary.pool
    .query('INSERT INTO error_log (request_id, route, message, detail) VALUES (?, ?, ?, ?)',
      [requestId, route.slice(0, 120), message.slice(0, 1000), detail ?? null])
    .catch(() => undefined);
}
