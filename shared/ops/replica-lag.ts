// How far the replica is behind, asked the way its engine tells it: MariaDB and MySQL through
// SHOW REPLICA/SLAVE STATUS (whose column names changed in MySQL 8.0.22), an Aurora reader through
// information_schema.replica_host_status (its SHOW REPLICA STATUS is empty: Aurora replicates
// storage, not binlogs).

export type Engine = 'mariadb' | 'mysql' | 'mysql-legacy' | 'aurora';

type Row = Record<string, unknown>;

/** One round trip that every engine answers: rows of {Variable_name, Value}; aurora_version only on Aurora. */
export const ENGINE_QUERY = "SHOW VARIABLES WHERE Variable_name IN ('version', 'aurora_version')";

export function detectEngine(rows: Row[]): Engine {
  const variable = (name: string) => {
    const value = rows.find((r) => r.Variable_name === name)?.Value;
    return typeof value === 'string' ? value : '';
  };
  const version = variable('version');
  if (/mariadb/i.test(version)) return 'mariadb';
  if (variable('aurora_version')) return 'aurora';
  const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const atLeast8022 = major > 8 || (major === 8 && (minor > 0 || patch >= 22));
  return atLeast8022 ? 'mysql' : 'mysql-legacy';
}

export interface LagProbe {
  sql: string;
  lagSeconds(rows: Row[]): number | null;
}

const seconds = (value: unknown): number | null => (value === undefined || value === null || value === '' ? null : Number(value));

export const LAG_PROBES: Record<Engine, LagProbe> = {
  mariadb: { sql: 'SHOW REPLICA STATUS', lagSeconds: (rows) => seconds(rows[0]?.Seconds_Behind_Master) },
  mysql: { sql: 'SHOW REPLICA STATUS', lagSeconds: (rows) => seconds(rows[0]?.Seconds_Behind_Source) },
  'mysql-legacy': { sql: 'SHOW SLAVE STATUS', lagSeconds: (rows) => seconds(rows[0]?.Seconds_Behind_Master) },
  // The row of the instance that answers (a reader); the writer's own row carries no lag.
  aurora: {
    sql: `SELECT REPLICA_LAG_IN_MILLISECONDS AS lag_ms FROM information_schema.replica_host_status
           WHERE SERVER_ID = @@aurora_server_id AND SESSION_ID <> 'MASTER_SESSION_ID'`,
    lagSeconds: (rows) => {
      const ms = seconds(rows[0]?.lag_ms);
      return ms === null ? null : ms / 1000;
    },
  },
};
