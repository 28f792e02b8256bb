// The administrator account named by ADMIN_EMAIL / ADMIN_PASSWORD is made to exist at start.
import type { Connection } from 'mysql2/promise';
import { hashPassword } from './passwords';

export async function ensureAdmin(conn: Connection, email: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await conn.query(
    `INSERT INTO account (email, password_hash, fname, sname, phone, is_admin) VALUES (?, ?, 'Admin', 'execorder', '+70000000000', 1)
     ON DUPLICATE KEY UPDATE password_hash = VALUES(password_hash), is_admin = 1`,
    [email.trim().toLowerCase(), passwordHash],
  );
}
