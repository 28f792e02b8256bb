// The first page of the feed lives in memcached under a version that every feed-changing
// commit replaces, so a taken or cancelled task is gone from the next read.
import { cacheGet, cacheSet } from '../cache/memcache';

const VERSION_KEY = 'feed:version';
const PAGE_TTL_SECONDS = 60;

async function currentVersion(): Promise<string | null> {
  const version = await cacheGet(VERSION_KEY);
  if (version !== null) return version;
  const fresh = newVersion();
  return (await cacheSet(VERSION_KEY, fresh, 0)) ? fresh : null;
}

const newVersion = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Called after commit by everything that adds a task to the feed or takes one out of it. */
export async function invalidateFeed(): Promise<void> {
  await cacheSet(VERSION_KEY, newVersion(), 0);
}

/**
 * The cached page as JSON text, or `load()` stored under the version read before loading: if a
 * change commits meanwhile, the page lands under a version nobody reads any more.
 */
export async function cachedFeedPage(pageKey: string, load: () => Promise<string>): Promise<string> {
  const version = await currentVersion();
  if (version === null) return load();
  const key = `feed:${version}:${pageKey}`;
  const hit = await cacheGet(key);
  if (hit !== null) return hit;
  const page = await load();
  await cacheSet(key, page, PAGE_TTL_SECONDS);
  return page;
}
