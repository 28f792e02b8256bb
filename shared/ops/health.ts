// What /api/health reports: each server probed with a bounded query, replication lag, the cache.
import { cacheIsUp } from '../cache/memcache';
import { dbNodes, type DbNode } from '../db/nodes';

export interface Health { ok: boolean; primary: boolean; replica: boolean; replicaLagSeconds: number | null; cache: boolean }

const PROBE_TIMEOUT_MS = 1500;

async function probe<T>(node: DbNode, sql: string): Promise<T[] | null> {
  try {
    const [rows] = await node.pool.query({ sql, timeout: PROBE_TIMEOUT_MS });
    node.markUp();
    return rows as T[];
  } catch {
    node.markDown();
    return null;
  }
}

export async function health(): Promise<Health> {
  const { primary, replica } = dbNodes();
  const [primaryRows, replicaRows, lagRows, cache] = await Promise.all([
    probe(primary, 'SELECT 1'),
    probe(replica, 'SELECT 1'),
    probe<{ Seconds_Behind_Master: number | null }>(replica, 'SHOW REPLICA STATUS'),
    cacheIsUp(),
  ]);
  const lag = lagRows?.[0]?.Seconds_Behind_Master;
  const replicaLagSeconds = lag === undefined || lag === null ? null : Number(lag);
  const up = { primary: primaryRows !== null, replica: replicaRows !== null };
  return { ok: up.primary && up.replica && replicaLagSeconds !== null && cache, ...up, replicaLagSeconds, cache };
}
