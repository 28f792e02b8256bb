// The MariaDB pair: data directories, the two servers, and GTID replication between them.
import { cp, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { childService, runToCompletion, type Service } from './processes';

export type DbRole = 'primary' | 'replica';

// Local only: the replica connects over loopback with this account.
const REPL_USER = 'repl';
const REPL_PASSWORD = 'repl-local';

// Small memory and log sizes, given to the installer too so the servers need not resize the log.
const INNODB_OPTIONS = ['--innodb-buffer-pool-size=64M', '--innodb-log-file-size=16M'];

const isRoot = () => process.getuid?.() === 0;

/**
 * Creates the primary's and the replica's data directories if they do not exist yet: one
 * install into a template, then a copy for each (two installs in parallel race and sometimes fail).
 * Returns whether it created any.
 */
export async function prepareDataDirs(dataDir: string, installDb: string, logsDir: string): Promise<boolean> {
  const missing = (['primary', 'replica'] as const).map((role) => path.join(dataDir, role)).filter((dir) => !existsSync(dir));
  if (missing.length === 0) return false;
  const template = path.join(dataDir, 'template');
  if (!existsSync(template)) {
    // Installed beside and renamed, so an interrupted install never passes for a finished one.
    const partial = `${template}.partial`;
    await rm(partial, { recursive: true, force: true });
    await runToCompletion({
      name: 'mariadb-install-db',
      command: installDb,
      args: [
        '--no-defaults',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        `--datadir=${partial}`,
        ...INNODB_OPTIONS,
      ],
      logFile: path.join(logsDir, 'mariadb-install-db.log'),
    });
    await rename(partial, template);
  }
  // A new replica beside an existing primary replays the primary's whole binlog, kept since its start.
  await Promise.all(
    missing.map(async (dir) => {
      await rm(`${dir}.partial`, { recursive: true, force: true });
      await cp(template, `${dir}.partial`, { recursive: true });
      await rename(`${dir}.partial`, dir);
    }),
  );
  return true;
}

export function mariadbService(o: { role: DbRole; port: number; dataDir: string; logsDir: string; mariadbd: string }): Service {
  const dir = path.join(o.dataDir, o.role);
  const roleOptions =
    o.role === 'primary'
      ? ['--server-id=1', '--log-bin=mysql-bin', '--binlog-format=ROW']
      : // A fixed relay log name, so that a change of host name does not lose the replica's position.
        ['--server-id=2', '--read-only', '--relay-log=relay-bin'];
  const args = [
    '--no-defaults', // must come first
    ...(isRoot() ? ['--user=root'] : []),
    `--datadir=${dir}`,
    `--socket=${path.join(o.dataDir, `${o.role}.sock`)}`,
    `--port=${o.port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
    ...roleOptions,
    '--log-slave-updates=0',
    ...INNODB_OPTIONS,
    // Local data: losing the last second of commits in a machine crash is fine, the speed is welcome.
    '--innodb-flush-log-at-trx-commit=2',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    '--skip-name-resolve',
  ];
  return childService(
    { name: `mariadb ${o.role}`, command: o.mariadbd, args, logFile: path.join(o.logsDir, `mariadb-${o.role}.log`) },
    () => canConnect(o.port),
    30_000,
  );
}

/** A root connection over loopback (the template's root@127.0.0.1 has no password; local only). */
export function rootConnection(port: number, options: mysql.ConnectionOptions = {}): Promise<mysql.Connection> {
  return mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000, ...options });
}

export async function withRoot<T>(
  port: number,
  fn: (conn: mysql.Connection) => Promise<T>,
  options: mysql.ConnectionOptions = {},
): Promise<T> {
  const conn = await rootConnection(port, options);
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

async function canConnect(port: number): Promise<boolean> {
  try {
    await withRoot(port, () => Promise.resolve(), { connectTimeout: 500 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Points the replica at the primary (again, if the primary's port changed); the replica keeps its
 * position in its own data directory and reconnects by itself after either server restarts.
 */
export async function startReplication(primaryPort: number, replicaPort: number): Promise<void> {
  await withRoot(primaryPort, async (conn) => {
    await conn.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [REPL_USER, '127.0.0.1', REPL_PASSWORD]);
    await conn.query('GRANT REPLICATION SLAVE ON *.* TO ?@?', [REPL_USER, '127.0.0.1']);
  });
  await withRoot(replicaPort, async (conn) => {
    const [rows] = await conn.query('SHOW REPLICA STATUS');
    const status = (rows as { Master_Port: number }[])[0];
    if (status?.Master_Port === primaryPort) return;
    if (status) await conn.query('STOP REPLICA');
    // A new replica starts from an empty GTID position, so it replays the primary's whole binlog:
    // the database, the users and the migrations all arrive through replication.
    await conn.query(
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?,
         MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      [primaryPort, REPL_USER, REPL_PASSWORD],
    );
    await conn.query('START REPLICA');
  });
}

/** Waits until the replica has applied everything the primary has written so far. */
export async function waitReplicaCaughtUp(primaryPort: number, replicaPort: number, timeoutSeconds: number): Promise<void> {
  const position = await withRoot(primaryPort, async (conn) => {
    const [rows] = await conn.query('SELECT @@gtid_binlog_pos AS pos');
    return (rows as { pos: string }[])[0]?.pos ?? '';
  });
  const result = await withRoot(replicaPort, async (conn) => {
    const [rows] = await conn.query('SELECT MASTER_GTID_WAIT(?, ?) AS result', [position, timeoutSeconds]);
    return (rows as { result: number }[])[0]?.result;
  });
  if (result !== 0) throw new Error(`the replica did not catch up with the primary (${position}) in ${timeoutSeconds} s`);
}
