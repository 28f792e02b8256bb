// The one structured logger: JSON lines (Powertools Logger). A request or an event message has a
// log scope of its own, carried by its database (`RequestDb.log`, and `log` on every Sql and Tx it
// hands out): every line written through it carries the request (or message) id, route, account
// and the milliseconds since it began, so that a person can search the logs by any of them.
// Explicit rather than an AsyncLocalStorage: on Node 20 that runs a hook on every promise the
// process makes (4–12 % of a task cycle's CPU, measured in separate processes), and the scope
// travels with the database anyway.
import { Logger } from '@aws-lambda-powertools/logger';

interface LogKeys {
  requestId?: string;
  route?: string;
  accountId?: number;
}

type Extra = Record<string, unknown>;

const root = new Logger({ serviceName: 'execorder' });

/** Where lines go: `log` for the process's own, a LogScope for one request's or message's. */
export interface LogLines {
  info(message: string, extra?: Extra): void;
  warn(message: string, extra?: Extra): void;
  /** The error goes under `error`: an Error object with its name, message and stack, anything else as JSON. */
  error(message: string, error?: unknown, extra?: Extra): void;
}

/** The process's own lines, outside any request or message. */
export const log: LogLines = {
  info: (message, extra) => root.info(message, extra ?? {}),
  warn: (message, extra) => root.warn(message, extra ?? {}),
  error: (message, error, extra) => root.error(message, { ...extra, error }),
};

/** One request's or message's lines: the keys `tag` set, and the duration so far. */
export class LogScope implements LogLines {
  private readonly keys: LogKeys = {};
  private readonly startedAt = performance.now();

  /** Tags the rest of the scope's lines: the request (or message) id and route once known, then the account it acts for. */
  tag(keys: LogKeys): void {
    Object.assign(this.keys, keys);
  }

  info(message: string, extra?: Extra): void {
    root.info(message, this.scoped(extra));
  }

  warn(message: string, extra?: Extra): void {
    root.warn(message, this.scoped(extra));
  }

  error(message: string, error?: unknown, extra?: Extra): void {
    root.error(message, this.scoped({ ...extra, error }));
  }

  private scoped(extra: Extra = {}): Extra {
    const { requestId, route, accountId } = this.keys;
    return {
      ...(requestId !== undefined ? { requestId } : {}),
      ...(route !== undefined ? { route } : {}),
      ...(accountId !== undefined ? { accountId } : {}),
      durationMs: Math.round(performance.now() - this.startedAt),
      ...extra,
    };
  }
}
