// Direct connections to the stack's servers, for checking what the API stored and where.
import mysql, { type Connection } from 'mysql2/promise';
import { stack } from './http';

export async function connect(node: 'primary' | 'replica'): Promise<Connection> {
  const env = stack.env;
  return mysql.createConnection({
    host: node === 'primary' ? env.DB_PRIMARY_HOST : env.DB_REPLICA_HOST,
    port: Number(node === 'primary' ? env.DB_PRIMARY_PORT : env.DB_REPLICA_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: env.DB_NAME ?? 'execorder',
    timezone: 'Z',
  });
}

/** Runs one query on a fresh connection and closes it. */
export async function query<T = any>(node: 'primary' | 'replica', sql: string, params: unknown[] = []): Promise<T[]> {
  const conn = await connect(node);
  try {
    const [rows] = await conn.query(sql, params);
    return rows as T[];
  } finally {
    await conn.end();
  }
}

/** Polls until `check` passes or the time is up (replication and background work are asynchronous). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
