// What /api/health reports: each server probed with a bounded query, replication lag, the cache.
import { cacheIsUp } from '../cache/memcache';
import { dbNodes, type DbNode } from '../db/nodes';
import { detectEngine, ENGINE_QUERY, LAG_PROBES, type Engine } from './replica-lag';

export interface Health {
  ok: boolean;
  primary: boolean;
  replica: boolean;
  replicaLagSeconds: number | null;
  cache: boolean;
}

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

/** The replica's engine, asked once per container (a failed probe asks again next time). */
let replicaEngine: Engine | undefined;

async function replicaLagSeconds(replica: DbNode): Promise<number | null> {
  if (!replicaEngine) {
    const rows = await probe<Record<string, unknown>>(replica, ENGINE_QUERY);
    if (!rows) return null;
    replicaEngine = detectEngine(rows);
  }
  const lag = LAG_PROBES[replicaEngine];
  const rows = await probe<Record<string, unknown>>(replica, lag.sql);
  return rows ? lag.lagSeconds(rows) : null;
}

export async function health(): Promise<Health> {
  const { primary, replica } = dbNodes();
  const [primaryRows, replicaRows, replicaLag, cache] = await Promise.all([
    probe(primary, 'SELECT 1'),
    probe(replica, 'SELECT 1'),
    replicaLagSeconds(replica),
    cacheIsUp(),
  ]);
  const up = { primary: primaryRows !== null, replica: replicaRows !== null };
  return { ok: up.primary && up.replica && replicaLag !== null && cache, ...up, replicaLagSeconds: replicaLag, cache };
}
