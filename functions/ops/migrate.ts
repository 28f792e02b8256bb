// Run after each deploy (`serverless invoke -f migrate`): applies pending migrations on the
// writer and makes sure the admin account exists. The local launcher does the same at start.
import mysql from 'mysql2/promise';
import { ensureAdmin } from '../../shared/accounts/admin';
import { config } from '../../shared/config';
import { migrate } from '../../shared/db/migrate';

export const handler = async (): Promise<{ applied: string[]; admin: boolean }> => {
  const conn = await mysql.createConnection({
    host: config.DB_PRIMARY_HOST, port: config.DB_PRIMARY_PORT, user: config.DB_USER, password: config.DB_PASSWORD,
    database: config.DB_NAME, multipleStatements: true, charset: 'utf8mb4',
  });
  try {
    const applied = await migrate(conn);
    const admin = Boolean(config.ADMIN_EMAIL && config.ADMIN_PASSWORD);
    if (admin) await ensureAdmin(conn, config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
    return { applied, admin };
  } finally {
    await conn.end();
  }
};
