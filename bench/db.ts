// The bench's own connection to the stack's primary: seeding, and reading what the pipeline did.
import mysql, { type Connection } from 'mysql2/promise';

export function primaryOf(env: Record<string, string>): Promise<Connection> {
  return mysql.createConnection({
    host: env.DB_PRIMARY_HOST,
    port: Number(env.DB_PRIMARY_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: env.DB_NAME ?? 'execorder',
    // Dates read back (the pipeline's lag) are the UTC the API writes.
    timezone: 'Z',
  });
}
