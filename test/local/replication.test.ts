// The local stack itself: real replication between the MariaDB pair, a read-only replica, and
// services that come back after a restart.
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { controlClient } from '../../local/control';
import { isListening } from '../../local/ports';

const { env, urls } = inject('stack');
const control = controlClient(urls.control!);
const TABLE = 'stack_replication_probe';

function connect(role: 'PRIMARY' | 'REPLICA'): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: env[`DB_${role}_HOST`],
    port: Number(env[`DB_${role}_PORT`]),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: env.DB_NAME,
  });
}

/** Polls until `check` returns something truthy, so replication gets a bounded time to deliver. */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check().catch(() => undefined);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function writeOnPrimary(note: string): Promise<number> {
  const primary = await connect('PRIMARY');
  try {
    const [result] = await primary.execute<mysql.ResultSetHeader>(`INSERT INTO ${TABLE} (note) VALUES (?)`, [note]);
    return result.insertId;
  } finally {
    await primary.end();
  }
}

/** The note of row `id` once it is on the replica. */
async function readOnReplica(id: number): Promise<string> {
  return eventually(async () => {
    const replica = await connect('REPLICA');
    try {
      const [rows] = await replica.execute<mysql.RowDataPacket[]>(`SELECT note FROM ${TABLE} WHERE id = ?`, [id]);
      return rows[0]?.note as string | undefined;
    } finally {
      await replica.end();
    }
  });
}

describe('the MariaDB pair', () => {
  beforeAll(async () => {
    const primary = await connect('PRIMARY');
    await primary.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100) NOT NULL)`);
    await primary.end();
  });

  afterAll(async () => {
    const primary = await connect('PRIMARY');
    await primary.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await primary.end();
  });

  it('copies a row written on the primary to the replica', async () => {
    const id = await writeOnPrimary('first');
    expect(await readOnReplica(id)).toBe('first');
  });

  it('does not let the application write on the replica', async () => {
    const replica = await connect('REPLICA');
    try {
      await eventually(async () => (await replica.query(`SHOW TABLES LIKE '${TABLE}'`))[0] as unknown[]);
      await expect(replica.execute(`INSERT INTO ${TABLE} (note) VALUES ('split brain')`)).rejects.toMatchObject({
        code: 'ER_OPTION_PREVENTS_STATEMENT',
      });
    } finally {
      await replica.end();
    }
  });

  it('lets the application read the replica status, to report lag', async () => {
    const replica = await connect('REPLICA');
    try {
      const [rows] = await replica.query<mysql.RowDataPacket[]>('SHOW REPLICA STATUS');
      expect(rows[0]).toMatchObject({ Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes' });
    } finally {
      await replica.end();
    }
  });

  it('resumes replication after the primary restarts', async () => {
    await control.stopService('primary');
    await control.startService('primary');
    const id = await writeOnPrimary('after primary restart');
    expect(await readOnReplica(id)).toBe('after primary restart');
  });

  it('catches up on what the primary wrote while the replica was down', async () => {
    await control.stopService('replica');
    const id = await writeOnPrimary('while replica down');
    await control.startService('replica');
    expect(await readOnReplica(id)).toBe('while replica down');
  });
});

describe('memcached', () => {
  it('stops and starts again on the same port', async () => {
    const port = Number(env.MEMCACHED_SERVERS!.split(',')[0]!.split(':')[1]);
    await control.stopService('memcached1');
    expect(await isListening(port)).toBe(false);
    await control.startService('memcached1');
    expect(await isListening(port)).toBe(true);
  });
});
