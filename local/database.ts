// The application's database on the primary: schema, accounts and the admin. Everything here is
// idempotent and runs at every start; the replica receives it through replication.
import { ensureAdmin } from '../shared/accounts/admin';
import type { Config } from '../shared/config';
import { migrate } from '../shared/db/migrate';
import { prepareDataDirs, startReplication, waitReplicaCaughtUp, withRoot } from './mariadb';
import type { Service } from './processes';

interface DatabaseSettings {
  name: string;
  user: string;
  password: string;
  admin?: { email: string; password: string };
}

/** Returns the names of the migrations it applied. */
async function prepareDatabase(primaryPort: number, db: DatabaseSettings): Promise<string[]> {
  await withRoot(primaryPort, async (conn) => {
    await conn.query('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [db.name]);
    for (const host of ['127.0.0.1', 'localhost']) {
      await conn.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [db.user, host, db.password]);
      await conn.query('ALTER USER ?@? IDENTIFIED BY ?', [db.user, host, db.password]);
      // Rights on the application's database only: a global ALL would let it write through read_only.
      await conn.query('GRANT ALL ON ??.* TO ?@?', [db.name, db.user, host]);
      // So that the API can read SHOW REPLICA STATUS to report the replica's lag.
      await conn.query('GRANT SLAVE MONITOR ON *.* TO ?@?', [db.user, host]);
    }
  });
  return withRoot(
    primaryPort,
    async (conn) => {
      const applied = await migrate(conn);
      if (db.admin) await ensureAdmin(conn, db.admin.email, db.admin.password);
      return applied;
    },
    { database: db.name, multipleStatements: true },
  );
}

/**
 * The pair as one service of the stack: data folders, both servers, replication, then the schema,
 * the accounts and the migrations on the primary, waiting until the replica has them too.
 */
export function databasesService(o: {
  primary: Service;
  replica: Service;
  primaryPort: number;
  replicaPort: number;
  dataDir: string;
  logsDir: string;
  installDb: string;
  config: Config;
  log: (line: string) => void;
  timed: (label: string, step: () => Promise<unknown>) => Promise<void>;
}): Service {
  const { config } = o;
  return {
    async start() {
      if (await prepareDataDirs(o.dataDir, o.installDb, o.logsDir)) o.log('  new MariaDB data folders');
      await Promise.all([
        o.timed(`MariaDB primary :${o.primaryPort}`, () => o.primary.start()),
        o.timed(`MariaDB replica :${o.replicaPort}`, () => o.replica.start()),
      ]);
      await startReplication(o.primaryPort, o.replicaPort);
      const applied = await prepareDatabase(o.primaryPort, {
        name: config.DB_NAME,
        user: config.DB_USER,
        password: config.DB_PASSWORD,
        admin: config.ADMIN_EMAIL && config.ADMIN_PASSWORD ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } : undefined,
      });
      if (applied.length > 0) o.log(`  applied ${applied.join(', ')}`);
      await waitReplicaCaughtUp(o.primaryPort, o.replicaPort, 30);
    },
    stop: async () => void (await Promise.all([o.primary.stop(), o.replica.stop()])),
  };
}
