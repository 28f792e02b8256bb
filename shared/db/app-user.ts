// The database user the functions connect as in AWS, made by `migrate` as the master user: rights
// on the application's rows only (no DDL: migrations run as the master), and the replication
// status for the lag report. Its password is the generated secret RDS Proxy signs in with.
import type { Connection } from 'mysql2/promise';

export async function ensureAppUser(conn: Connection, database: string, user: string, password: string): Promise<void> {
  // '%': the connections come from RDS Proxy, whose addresses are not fixed.
  await conn.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [user, password]);
  // Follows the secret when it is changed (a new deploy re-runs this).
  await conn.query("ALTER USER ?@'%' IDENTIFIED BY ?", [user, password]);
  await conn.query("GRANT SELECT, INSERT, UPDATE, DELETE ON ??.* TO ?@'%'", [database, user]);
  // SHOW REPLICA STATUS on MySQL 8; Aurora's replica_host_status needs nothing more.
  await conn.query("GRANT REPLICATION CLIENT ON *.* TO ?@'%'", [user]);
}
