// The handler-time statistics and the error log, written straight to the primary, never
// through a request's own transaction, and never able to fail the request they describe.
import { bestEffortWrite } from '../db/best-effort';
import { dbNodes } from '../db/nodes';
import { log } from '../log';
import { bucketOf } from './latency-histogram';

interface Sample {
  route: string;
  status: number;
  durationMs: number;
  at: Date;
}

const FLUSH_EVERY_MS = 1000;
const FLUSH_AT_ROWS = 200;
const MAX_BUFFERED = 5000;
const HOUR_MS = 3_600_000;

let buffer: Sample[] = [];
let lastFlush = Date.now();

/** Buffers one sample; every second or 200 samples the buffer goes to the database in one INSERT. */
export function recordTiming(sample: Sample): void {
  if (buffer.length < MAX_BUFFERED) buffer.push(sample);
  // The flush is not awaited: no request waits for the statistics of others.
  if (buffer.length >= FLUSH_AT_ROWS || Date.now() - lastFlush >= FLUSH_EVERY_MS) void flushTimings();
}

/** One row per hour, route and duration bucket, added to what other containers wrote (see 0007_hardening.sql). */
async function flushTimings(): Promise<void> {
  const { primary } = dbNodes();
  if (buffer.length === 0 || !primary.isUp()) return;
  const batch = buffer;
  buffer = [];
  lastFlush = Date.now();
  const counts = new Map<string, [Date, string, number, number]>();
  for (const s of batch) {
    const hourStart = new Date(Math.floor(s.at.getTime() / HOUR_MS) * HOUR_MS);
    const bucket = bucketOf(s.durationMs);
    const key = `${hourStart.getTime()}|${s.route}|${bucket}`;
    const row = counts.get(key) ?? [hourStart, s.route.slice(0, 120), bucket, 0];
    row[3]++;
    counts.set(key, row);
  }
  // In key order, so that two containers adding to the same rows lock them in the same order.
  const rows = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  await bestEffortWrite(
    'handler statistics',
    'INSERT INTO request_stat_bucket (hour_start, route, bucket, count) VALUES ? ON DUPLICATE KEY UPDATE count = count + VALUES(count)',
    [rows],
  );
}

export async function logError(requestId: string, route: string, message: string, detail?: string): Promise<void> {
  log.error(message, undefined, { requestId, route, detail });
  await bestEffortWrite('error log', 'INSERT INTO error_log (request_id, route, message, detail) VALUES (?, ?, ?, ?)', [
    requestId,
    route.slice(0, 120),
    message.slice(0, 1000),
    detail ?? null,
  ]);
}

/** At most `bytes` bytes of `text` as UTF-8, cut on a character boundary (for what goes into the log). */
export function utf8Prefix(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  let end = bytes;
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--;
  return encoded.subarray(0, end).toString('utf8');
}
