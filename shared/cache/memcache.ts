// memcached over both nodes. The cache only ever speeds things up: every failure reads as a
// miss and the request goes on without it.
import memjs from 'memjs';
import { config } from '../config';

let client: memjs.Client | undefined;

function memcache(): memjs.Client {
  client ??= memjs.Client.create(config.MEMCACHED_SERVERS, {
    timeout: config.MEMCACHED_TIMEOUT_MS / 1000,
    conntimeout: (2 * config.MEMCACHED_TIMEOUT_MS) / 1000,
    retries: 1,
    failover: true, // a dead node's keys move to the other node until it answers again
    failoverTime: 5,
    keepAlive: true,
    logger: { log: () => undefined },
  });
  return client;
}

async function orNull<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch {
    return null;
  }
}

export async function cacheGet(key: string): Promise<string | null> {
  return orNull(async () => (await memcache().get(key)).value?.toString('utf8') ?? null);
}

export async function cacheSet(key: string, value: string, ttlSeconds: number): Promise<boolean> {
  return (await orNull(() => memcache().set(key, value, { expires: ttlSeconds }))) ?? false;
}

/** Atomically adds one to a counter that starts at 1 and lives `ttlSeconds`; null when the cache is down. */
export async function cacheCount(key: string, ttlSeconds: number): Promise<number | null> {
  const result = await orNull(() => memcache().increment(key, 1, { initial: 1, expires: ttlSeconds }));
  return result?.success ? Number(result.value) : null;
}

/** One round trip to see whether the cache answers at all (for /api/health). */
export async function cacheIsUp(): Promise<boolean> {
  return (await cacheSet('health:probe', '1', 10)) === true;
}
