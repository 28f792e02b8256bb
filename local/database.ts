// The application's database on the primary: schema, accounts and the admin. Everything here is
// idempotent and runs at every start; the replica receives it through replication.
import { ensureAdmin } from '../shared/accounts/admin';
import { migrate } from '../shared/db/migrate';
import { withRoot } from './mariadb';

export interface DatabaseSettings {
  name: string;
  user: string;
  password: string;
  admin?: { email: string; password: string };
}

/** Returns the names of the migrations it applied. */
export async function prepareDatabase(primaryPort: number, db: DatabaseSettings): Promise<string[]> {
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
  return withRoot(primaryPort, async (conn) => {
    const applied = await migrate(conn);
    if (db.admin) await ensureAdmin(conn, db.admin.email, db.admin.password);
    return applied;
  }, { database: db.name, multipleStatements: true });
}
