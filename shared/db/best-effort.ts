// Writes that describe a request or keep a count beside it (statistics, the error log, session
// activity, failed authentications, a refusal's idempotency record) must never fail or hold up
// the work they describe: straight to the primary's pool, never inside the request's own
// transaction, skipped while the primary is down, and a failure only logged.
import { log, type LogLines } from '../log';
import { dbNodes } from './nodes';

/** `lines`: the log of the request the write belongs to, where there is one. */
export async function bestEffortWrite(what: string, sql: string, params: unknown[], lines: LogLines = log): Promise<void> {
  const { primary } = dbNodes();
  if (!primary.isUp()) return;
  await primary.pool.query(sql, params).then(
    () => undefined,
    (err: unknown) => lines.warn(`${what}: best-effort write failed`, { code: (err as { code?: string }).code }),
  );
}
