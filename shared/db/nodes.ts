// The two MySQL servers: one pool each per container, and a short memory of which one is down,
// so that a dead server costs one bounded connect attempt per second, not one per query.
import mysql, { type Pool } from 'mysql2/promise';
import { config } from '../config';

export type NodeName = 'primary' | 'replica';

/** How long a server that failed is skipped before the next request probes it again. */
const DOWN_FOR_MS = 1000;

export class DbNode {
  private downUntil = 0;
  readonly pool: Pool;

  constructor(readonly name: NodeName, host: string, port: number) {
    this.pool = mysql.createPool({
      host,
      port,
      user: config.DB_USER,
      password: config.DB_PASSWORD,
      database: config.DB_NAME,
      charset: 'utf8mb4',
      timezone: 'Z',
      connectTimeout: config.DB_CONNECT_TIMEOUT_MS,
      connectionLimit: config.DB_POOL_SIZE,
      maxIdle: config.DB_POOL_SIZE,
      idleTimeout: 60_000,
      enableKeepAlive: true,
      supportBigNumbers: true,
    });
    // Every session speaks UTC and gives up on a lock within seconds instead of holding a request for 50.
    this.pool.on('connection', (conn) => {
      conn.query("SET time_zone = '+00:00', innodb_lock_wait_timeout = 5");
    });
  }

  isUp(): boolean {
    return Date.now() >= this.downUntil;
  }

  markDown(): void {
    this.downUntil = Date.now() + DOWN_FOR_MS;
  }

  markUp(): void {
    this.downUntil = 0;
  }
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'ER_NET_READ_ERROR',
]);

/** True when the error says the server is unreachable rather than that the query was wrong. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; fatal?: boolean; errno?: number };
  return CONNECTION_ERRORS.has(e?.code ?? '') || e?.fatal === true || e?.errno === 1927;
}

let nodes: { primary: DbNode; replica: DbNode } | undefined;

/** The pools are created on first use, once per container, and live as long as it does. */
export function dbNodes(): { primary: DbNode; replica: DbNode } {
  nodes ??= {
    primary: new DbNode('primary', config.DB_PRIMARY_HOST, config.DB_PRIMARY_PORT),
    replica: new DbNode('replica', config.DB_REPLICA_HOST, config.DB_REPLICA_PORT),
  };
  return nodes;
}
