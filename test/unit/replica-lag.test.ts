// The replica's lag, read the way each engine reports it, from rows as each one answers.
import { describe, expect, it } from 'vitest';
import { detectEngine, LAG_PROBES } from '../../shared/ops/replica-lag';

const variables = (version: string, auroraVersion?: string) => [
  ...(auroraVersion ? [{ Variable_name: 'aurora_version', Value: auroraVersion }] : []),
  { Variable_name: 'version', Value: version },
];

describe('detectEngine', () => {
  it.each([
    ['10.11.6-MariaDB-log', undefined, 'mariadb'],
    ['11.4.2-MariaDB-ubu2404', undefined, 'mariadb'],
    ['8.0.39', '3.08.0', 'aurora'],
    ['5.7.12', '2.11.2', 'aurora'],
    ['8.0.36', undefined, 'mysql'],
    ['8.0.22', undefined, 'mysql'],
    ['8.4.3', undefined, 'mysql'],
    ['9.1.0', undefined, 'mysql'],
    ['8.0.21', undefined, 'mysql-legacy'],
    ['5.7.44-log', undefined, 'mysql-legacy'],
  ])('%s (aurora_version %s) is %s', (version, aurora, engine) => {
    expect(detectEngine(variables(version, aurora))).toBe(engine);
  });
});

describe('LAG_PROBES', () => {
  it('reads Seconds_Behind_Master on MariaDB and MySQL before 8.0.22', () => {
    expect(LAG_PROBES.mariadb.sql).toBe('SHOW REPLICA STATUS');
    expect(LAG_PROBES.mariadb.lagSeconds([{ Slave_IO_Running: 'Yes', Seconds_Behind_Master: 3 }])).toBe(3);
    expect(LAG_PROBES['mysql-legacy'].sql).toBe('SHOW SLAVE STATUS');
    expect(LAG_PROBES['mysql-legacy'].lagSeconds([{ Seconds_Behind_Master: '0' }])).toBe(0);
  });

  it('reads Seconds_Behind_Source on MySQL 8.0.22 and later', () => {
    expect(LAG_PROBES.mysql.sql).toBe('SHOW REPLICA STATUS');
    expect(LAG_PROBES.mysql.lagSeconds([{ Replica_IO_Running: 'Yes', Seconds_Behind_Source: 12 }])).toBe(12);
    // The old column name on a new server is not a lag.
    expect(LAG_PROBES.mysql.lagSeconds([{ Seconds_Behind_Master: 12 }])).toBeNull();
  });

  it("reads the reader's own row of replica_host_status on Aurora, in seconds", () => {
    expect(LAG_PROBES.aurora.sql).toMatch(/information_schema\.replica_host_status/);
    expect(LAG_PROBES.aurora.sql).toMatch(/@@aurora_server_id/);
    expect(LAG_PROBES.aurora.lagSeconds([{ lag_ms: 20.5 }])).toBe(0.0205);
    expect(LAG_PROBES.aurora.lagSeconds([{ lag_ms: '1500' }])).toBe(1.5);
  });

  it('knows no lag when replication is stopped, not set up, or the instance is the writer', () => {
    for (const probe of Object.values(LAG_PROBES)) expect(probe.lagSeconds([])).toBeNull();
    expect(LAG_PROBES.mariadb.lagSeconds([{ Seconds_Behind_Master: null }])).toBeNull();
    expect(LAG_PROBES.mysql.lagSeconds([{ Seconds_Behind_Source: null }])).toBeNull();
    expect(LAG_PROBES.aurora.lagSeconds([{ lag_ms: null }])).toBeNull();
  });
});
