// The API's bundles, built once per change of their sources. serverless-esbuild bundles every
// function at each `serverless offline` start (about ten seconds for fifty functions on two
// cores, most of a warm boot); the launcher keeps what it built in node_modules/.cache under a
// hash of the sources, and the next API with the same sources (a restart, an extra API, the
// next test run) starts serverless-offline on those bundles without the plugin.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from './process-groups';

const REPO = path.resolve(__dirname, '..');
const CACHE_DIR = path.join(REPO, 'node_modules/.cache/execorder-api');
/** Everything the bundles are made of: the code and the build settings (the dependencies below). */
const SOURCES = ['functions', 'shared', 'serverless.yml', 'tsconfig.json'];
/** Development packages that shape the bundles; the others (test and lint tools) do not. */
const BUNDLERS = ['node_modules/esbuild', 'node_modules/serverless-esbuild'];
/**
 * Entries unused (not started from) for an hour are removed, unless among the newest few: each
 * is a few hundred megabytes, and an API still running on a removed one could not load a handler
 * it has not loaded yet, hence the hour.
 */
const KEEP_UNUSED_MS = 3600_000;
const KEEP_NEWEST = 3;

export async function sourcesHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    const full = path.join(REPO, source);
    const files = (await stat(full)).isDirectory()
      ? (await readdir(full, { recursive: true, withFileTypes: true }))
          .filter((entry) => entry.isFile())
          .map((entry) => path.join(entry.parentPath, entry.name))
      : [full];
    for (const file of files.sort()) {
      hash
        .update(path.relative(REPO, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  hash.update(await bundledDependencies());
  return hash.digest('hex').slice(0, 16);
}

/** The locked versions of what can end up in a bundle: production packages and the bundlers. */
async function bundledDependencies(): Promise<string> {
  const lock = JSON.parse(await readFile(path.join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([name, entry]) => !entry.dev || BUNDLERS.includes(name))
    .map(([name, entry]) => `${name}@${entry.version ?? ''}`)
    .sort()
    .join('\n');
}

// Stores under way in this process: an extra API started while the stack's API is still being
// copied into the cache waits for the copy instead of bundling everything again.
const storing = new Map<string, Promise<void>>();

/** The folder of bundles built from these sources, if there is one (marked as used). */
export async function cachedBundles(hash: string): Promise<string | null> {
  await storing.get(hash);
  await otherLaunchersStoring(hash);
  const dir = path.join(CACHE_DIR, hash);
  try {
    const now = new Date();
    await utimes(dir, now, now);
    return dir;
  } catch {
    return null;
  }
}

/** Waits while another live launcher copies these bundles in (a test run's launcher beside its stack's). */
async function otherLaunchersStoring(hash: string): Promise<void> {
  const copying = async () =>
    (await readdir(CACHE_DIR).catch(() => [])).some((name) => {
      if (!name.startsWith(`${hash}.partial-`)) return false;
      try {
        process.kill(Number(name.slice(name.lastIndexOf('-') + 1)), 0);
        return true;
      } catch {
        return false; // its launcher died mid-copy
      }
    });
  // Bounded: the pid of a launcher that died mid-copy may belong to another process by now.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && (await copying())) await sleep(200);
}

/**
 * Copies what serverless-esbuild built into the cache. Copied beside and renamed, so an entry is
 * either complete or absent; two launchers storing the same hash at once keep the first.
 */
export function keepBundles(hash: string, builtDir: string): Promise<void> {
  const stored = storeBundles(hash, builtDir).finally(() => storing.delete(hash));
  storing.set(
    hash,
    stored.catch(() => undefined),
  );
  return stored;
}

async function storeBundles(hash: string, builtDir: string): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = path.join(CACHE_DIR, `${hash}.partial-${process.pid}`);
  await cp(builtDir, partial, { recursive: true });
  await rename(partial, path.join(CACHE_DIR, hash)).catch(() => rm(partial, { recursive: true, force: true }));
  await pruneCache();
}

async function pruneCache(): Promise<void> {
  const entries = await Promise.all(
    (await readdir(CACHE_DIR)).map(async (name) => {
      const dir = path.join(CACHE_DIR, name);
      return { dir, name, usedAt: (await stat(dir)).mtimeMs };
    }),
  );
  const complete = entries.filter((e) => !e.name.includes('.partial-')).sort((a, b) => b.usedAt - a.usedAt);
  // An interrupted copy is an hour-old partial folder; a live one is newer.
  const stale = [
    ...complete.slice(KEEP_NEWEST).filter((e) => Date.now() - e.usedAt > KEEP_UNUSED_MS),
    ...entries.filter((e) => e.name.includes('.partial-') && Date.now() - e.usedAt > 3600_000),
  ];
  await Promise.all(stale.map((e) => rm(e.dir, { recursive: true, force: true })));
}

/**
 * serverless.yml for an API that runs cached bundles: the same file without serverless-esbuild,
 * with serverless-offline looking for the handlers in the bundles' folder.
 */
export function configForBundles(config: string, bundlesDir: string): string {
  const plugin = /^ {2}- serverless-esbuild\n/m;
  const offline = /^ {2}serverless-offline:\n/m;
  if (!plugin.test(config) || !offline.test(config)) {
    throw new Error('serverless.yml no longer lists serverless-esbuild or custom.serverless-offline as local/api-bundles.ts expects');
  }
  return config.replace(plugin, '').replace(offline, (section) => `${section}    location: ${JSON.stringify(bundlesDir)}\n`);
}
