// One request's view of the database: writes and transactions on the primary, reads on the
// replica, failover both ways, and read-your-writes once this request (or, within a few
// seconds, this session) has written.
import { randomInt } from 'node:crypto';
import type { PoolConnection } from 'mysql2';
import type { ResultSetHeader } from 'mysql2/promise';
import { unavailable } from '../errors';
import { LogScope, type LogLines } from '../log';
import { insertKey, storedResult, storeResult, type IdempotencyClaim } from './idempotency-keys';
import { dbNodes, isConnectionError, type DbNode } from './nodes';

export type Row = Record<string, unknown>;

/** What domain functions need: rows out, statements in. Both a transaction and a Db offer it. */
export interface Sql {
  rows<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string, params?: unknown[]): Promise<ResultSetHeader>;
  /** The log scope of the request (or message) this database serves: its lines carry the request's keys. */
  readonly log: LogLines;
}

/** A transaction: statements, plus work to run once it has committed (never if it rolls back). */
export interface Tx extends Sql {
  onCommit(fn: () => Promise<void> | void): void;
}

/**
 * READ COMMITTED instead of the default REPEATABLE READ: under it, InnoDB reads the rows an
 * INSERT … SELECT copies without share-locking them, and a locking range read takes no gap locks.
 * Only for transactions that need neither (the event pipeline's): their reads of an account would
 * otherwise wait for that account's money transaction in flight and hold back its next one, and
 * the outbox relay's claim would lock the gap every new outbox row is inserted into.
 */
export interface TransactionOptions {
  readCommitted?: boolean;
}

const DEADLOCK = 1213;
const READ_ONLY = 1290;
/**
 * Deadlocks are retried, after a short random pause that grows with each attempt, so that the
 * transactions that collided do not collide again in step. The lock order (shared/money/ledger.ts)
 * keeps money transactions from deadlocking at all; this is the backstop.
 */
const MAX_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 10;

/** Read-your-writes across requests: the session lookup (shared/accounts/sessions.ts) reads the mark. */
const WROTE_SQL = 'UPDATE session SET wrote_at = NOW(3) WHERE id = ?';

const primaryDown = () => unavailable('The primary database is unavailable; writes are paused');

/**
 * One statement over mysql2's callback API. Its promise wrapper captures a stack trace for every
 * query (measured at 5–10 % of a money action's CPU); this promise is made once per statement, plainly.
 */
function run<T>(conn: Pick<PoolConnection, 'query'>, sql: string, params: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    conn.query(sql, params, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

function connectionOf(node: DbNode): Promise<PoolConnection> {
  return new Promise((resolve, reject) => node.pool.pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn))));
}

const statement = (conn: PoolConnection, sql: string) => run<unknown>(conn, sql, []);

class ConnectionSql implements Tx {
  constructor(
    private readonly conn: PoolConnection,
    readonly onCommit: (fn: () => Promise<void> | void) => void,
    readonly log: LogLines,
  ) {}

  rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return run<T[]>(this.conn, sql, params);
  }

  exec(sql: string, params: unknown[] = []): Promise<ResultSetHeader> {
    return run<ResultSetHeader>(this.conn, sql, params);
  }
}

export class RequestDb implements Sql {
  constructor(readonly log: LogScope = new LogScope()) {}

  /** Set once this request wrote, or when the session wrote moments ago: reads then go to the primary. */
  readFromPrimary = false;
  /**
   * The session this request acts for: each transaction marks it as having written (its last
   * statement, so that the mark adds no commit of its own and its row lock is the last one taken).
   */
  writerSessionId: number | undefined;

  /** The request acts for this session (null: anonymous): its writes mark it, and a recent write of it pins the reads to the primary. */
  actFor(session: { id: number; wroteRecently: boolean } | null): void {
    if (session?.wroteRecently) this.readFromPrimary = true;
    this.writerSessionId = session?.id;
  }
  private tx: ConnectionSql | undefined;
  private afterCommit: (() => Promise<void> | void)[] = [];
  /** The Idempotency-Key the next transaction opened carries (the first one of the request). */
  private claim: IdempotencyClaim | undefined;
  /** Answered from its key (its result or its refusal): the request acted already, when it first came. */
  private replayed = false;

  /** The request's first transaction writes the key and keeps its result; a repeat gets that result without running the work. */
  claimIdempotencyKey(claim: IdempotencyClaim): void {
    this.claim = claim;
  }

  /** Whether the answer is the first request's, kept under its key: nothing of it is to be recorded again. */
  get answeredFromKey(): boolean {
    return this.replayed;
  }

  /** A read, routed to the replica unless read-your-writes applies; falls over to the other server. */
  async rows<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.tx) return this.tx.rows<T>(sql, params);
    const { primary, replica } = dbNodes();
    const order = this.readFromPrimary ? [primary, replica] : [replica, primary];
    return this.readFrom(order, sql, params);
  }

  /** A read that must see every committed write (sessions, money decisions): the primary, the replica only if the primary is down. */
  async strongRows<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.tx) return this.tx.rows<T>(sql, params);
    const { primary, replica } = dbNodes();
    return this.readFrom([primary, replica], sql, params);
  }

  /** This request's database with every read on the primary: for answers that must reflect every commit. */
  get strong(): Sql {
    return { rows: (sql, params) => this.strongRows(sql, params), exec: (sql, params) => this.exec(sql, params), log: this.log };
  }

  /** One autocommitted statement on the primary. */
  async exec(sql: string, params: unknown[] = []): Promise<ResultSetHeader> {
    if (this.tx) return this.tx.exec(sql, params);
    return this.transaction((tx) => tx.exec(sql, params));
  }

  /**
   * Runs `work` in one transaction on the primary, retrying deadlocks; joins the open one if any.
   * `readCommitted`: for the event pipeline's transactions, whose reads must neither wait for nor
   * hold back the requests' money transactions (TransactionOptions).
   */
  async transaction<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.tx) return work(this.tx);
    // Only the first transaction's result was kept: another one would act a second time.
    if (this.replayed) throw new Error('a request answered from its Idempotency-Key opened another transaction');
    const claim = this.claim;
    this.claim = undefined;
    const { primary } = dbNodes();
    if (!primary.isUp()) throw primaryDown();
    this.readFromPrimary = true;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(primary, work, claim, options);
      if (outcome.retry && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, randomInt(1, RETRY_PAUSE_MS * attempt + 1)));
        continue;
      }
      if ('error' in outcome) throw outcome.error;
      // Only now, with the connection back in the pool: follow-ups that query (the outbox
      // publisher) would otherwise wait for a connection that concurrent transactions all hold.
      await this.runAfterCommit();
      return outcome.result;
    }
  }

  private async attempt<T>(
    primary: DbNode,
    work: (tx: Tx) => Promise<T>,
    claim: IdempotencyClaim | undefined,
    options: TransactionOptions,
  ): Promise<{ result: T; retry?: false } | { error: unknown; retry: boolean }> {
    const conn = await this.connect(primary);
    let broken = false;
    try {
      // For the next transaction only: the connection goes back to the pool at the default level.
      if (options.readCommitted) await statement(conn, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await statement(conn, 'START TRANSACTION');
      this.tx = new ConnectionSql(conn, (fn) => this.afterCommit.push(fn), this.log);
      if (claim && !(await insertKey(this.tx, claim))) {
        // The key's first request has committed: its result is this transaction's, and the work is not done again.
        await statement(conn, 'ROLLBACK');
        const stored = await storedResult(this.tx, claim);
        if (stored) {
          // Nothing ran, so nothing waits for the commit; a later transaction of this request would act anew.
          this.replayed = true;
          return 'refusal' in stored ? { error: stored.refusal, retry: false } : { result: stored.result as T };
        }
        // A day-old key was just forgotten: the next attempt takes it afresh.
        return { error: new Error(`Idempotency-Key ${claim.key} expired and was taken again, ${MAX_ATTEMPTS} times`), retry: true };
      }
      const result = await work(this.tx);
      if (claim) await storeResult(this.tx, claim, result);
      if (this.writerSessionId !== undefined) await run(conn, WROTE_SQL, [this.writerSessionId]);
      await statement(conn, 'COMMIT');
      return { result };
    } catch (err) {
      broken = isConnectionError(err);
      if (!broken) await statement(conn, 'ROLLBACK').catch(() => undefined);
      this.afterCommit = [];
      const errno = (err as { errno?: number }).errno;
      if (broken || errno === READ_ONLY) {
        this.log.warn('primary treated as down for a second', { code: (err as { code?: string }).code ?? errno });
        primary.markDown();
        return { error: primaryDown(), retry: false };
      }
      return { error: err, retry: errno === DEADLOCK };
    } finally {
      this.tx = undefined;
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  private async runAfterCommit(): Promise<void> {
    const callbacks = this.afterCommit;
    this.afterCommit = [];
    for (const fn of callbacks) {
      // The transaction is committed: a failing follow-up is logged, never reported as a failed write.
      await Promise.resolve()
        .then(fn)
        .catch((err: unknown) => this.log.error('after-commit step failed', err));
    }
  }

  private async connect(node: DbNode): Promise<PoolConnection> {
    try {
      const conn = await connectionOf(node);
      node.markUp();
      return conn;
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.log.warn('no connection, treated as down for a second', { node: node.name, code: (err as { code?: string }).code });
      node.markDown();
      throw primaryDown();
    }
  }

  private async readFrom<T>(order: DbNode[], sql: string, params: unknown[]): Promise<T[]> {
    // Servers believed up are asked first; one remembered as down is still probed before giving up.
    const candidates = [...order.filter((n) => n.isUp()), ...order.filter((n) => !n.isUp())];
    for (const node of candidates) {
      try {
        const rows = await run<T[]>(node.pool.pool, sql, params);
        node.markUp();
        return rows;
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        this.log.warn('read failed, treated as down for a second', { node: node.name, code: (err as { code?: string }).code });
        node.markDown();
      }
    }
    throw unavailable('The database is unavailable');
  }
}
