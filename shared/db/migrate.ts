// Applies the numbered .sql files of migrations/ in order, once each, on the primary.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';

/**
 * Beside the sources (the launcher, tests) or in the function's working folder: a bundled
 * function runs from a build folder, with the .sql files packaged at its root (/var/task in AWS).
 */
const MIGRATIONS_DIR =
  [path.resolve(__dirname, '../../migrations'), path.resolve(process.cwd(), 'migrations')].find((dir) => existsSync(dir)) ??
  path.resolve(process.cwd(), 'migrations');

/** Runs the pending migrations; returns the names it applied. The connection needs multipleStatements. */
export async function migrate(conn: Connection, dir = MIGRATIONS_DIR): Promise<string[]> {
  await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name VARCHAR(200) NOT NULL PRIMARY KEY,
    applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  const [rows] = await conn.query('SELECT name FROM schema_migrations');
  const applied = new Set((rows as { name: string }[]).map((r) => r.name));
  const pending = (await readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f) && !applied.has(f)).sort();
  for (const name of pending) {
    // DDL commits implicitly in MySQL, so a failed file is reported by name and must be fixed forward.
    const sql = await readFile(path.join(dir, name), 'utf8');
    try {
      await conn.query(sql);
    } catch (err) {
      throw new Error(`migration ${name} failed: ${(err as Error).message}`);
    }
    await conn.query('INSERT INTO schema_migrations (name) VALUES (?)', [name]);
  }
  return pending;
}
