// The one structured logger: JSON lines (Powertools Logger) that carry, on every line written
// while a request or an event is handled, its request id, route, account and the milliseconds
// since it began, so that a person can search the logs by any of them.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';

interface Scope {
  requestId?: string;
  route?: string;
  accountId?: number;
  startedAt: number;
}

const root = new Logger({ serviceName: 'execorder' });
// Requests run concurrently in one process (serverless-offline in process, Lambda's managed
// concurrency): each one's keys live in its own async context, never in the shared logger.
const scopes = new AsyncLocalStorage<Scope>();

/** Runs `work` in a log scope of its own: every line inside it carries the keys `tagLogs` sets and the duration so far. */
export function withLogScope<T>(work: () => T): T {
  return scopes.run({ startedAt: performance.now() }, work);
}

/** Tags the rest of the current scope's lines: the request (or message) id and route once known, then the account it acts for. */
export function tagLogs(keys: { requestId?: string; route?: string; accountId?: number }): void {
  const scope = scopes.getStore();
  if (scope) Object.assign(scope, keys);
}

function scoped(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const scope = scopes.getStore();
  if (!scope) return extra;
  return {
    ...(scope.requestId !== undefined ? { requestId: scope.requestId } : {}),
    ...(scope.route !== undefined ? { route: scope.route } : {}),
    ...(scope.accountId !== undefined ? { accountId: scope.accountId } : {}),
    durationMs: Math.round(performance.now() - scope.startedAt),
    ...extra,
  };
}

export const log = {
  info: (message: string, extra?: Record<string, unknown>) => root.info(message, scoped(extra)),
  warn: (message: string, extra?: Record<string, unknown>) => root.warn(message, scoped(extra)),
  /** The error goes under `error`: an Error object with its name, message and stack, anything else as JSON. */
  error: (message: string, error?: unknown, extra?: Record<string, unknown>) => root.error(message, scoped({ ...extra, error })),
};
