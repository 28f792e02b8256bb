// The API: `serverless offline` running the functions of serverless.yml in process.
//
// Each instance runs in a service folder of its own under the data folder, made of links back to
// the repository. serverless-esbuild bundles into `<service folder>/.esbuild` and deletes that
// folder when a `serverless package` finishes, so two instances (the stack's API and an extra one,
// or the test stack and a developer's `npm start`, or a packaging test) sharing the repository's
// folder would overwrite or delete each other's bundles. Bundles are built once per change of
// the sources (local/api-bundles.ts); an API started on cached ones does not rebuild on edits.
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cachedBundles, configForBundles, keepBundles, sourcesHash } from './api-bundles';
import { freePorts, isListening } from './ports';
import { childService, type Service } from './processes';

const REPO = path.resolve(__dirname, '..');
const SERVERLESS = path.join(REPO, 'node_modules/serverless/bin/serverless.js');
// The framework only accepts a real file as its configuration, so that one is copied (and, for
// cached bundles, changed).
const CONFIG = 'serverless.yml';

export interface ApiOptions {
  name: string;
  port: number;
  lambdaPort: number;
  env: Record<string, string>;
  dataDir: string;
  logsDir: string;
}

export function apiUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export function apiService(o: ApiOptions): Service {
  const serviceDir = path.join(o.dataDir, 'api', o.name);
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env, API_PORT: String(o.port), LAMBDA_PORT: String(o.lambdaPort) };
  // Worker threads see the launcher's environment only through serverless-offline's copy of it;
  // in one process the handlers share it already, and copying it into process.env at each
  // invocation (70 variables) cost 3–4 % of the API's CPU per create.
  env.OFFLINE_LOCAL_ENVIRONMENT = String(env.OFFLINE_IN_PROCESS === 'false');
  const offline = childService(
    {
      name: o.name,
      command: process.execPath,
      args: [SERVERLESS, 'offline', 'start', '--host', '127.0.0.1'],
      cwd: serviceDir,
      env,
      logFile: path.join(o.logsDir, `${o.name}.log`),
    },
    // serverless-offline listens once every route is in place. Not a request to /api/health: that
    // would count against the rate limit of an API started with low limits for a test.
    () => isListening(o.port),
    // Bundling fifty functions on a busy two-core machine has taken minutes.
    300_000,
  );
  let storing: Promise<void> | undefined;
  return {
    async start() {
      const hash = await sourcesHash();
      const bundles = await cachedBundles(hash);
      await linkServiceDir(serviceDir, bundles);
      await offline.start();
      await startOutboxRelay(o.lambdaPort);
      // Ready means serverless-esbuild has finished, so its output is complete.
      if (!bundles) {
        storing = keepBundles(hash, path.join(serviceDir, '.esbuild/.build')).catch((err: Error) =>
          console.warn(`the API's bundles were not cached: ${err.message}`),
        );
      }
    },
    async stop() {
      await offline.stop();
      await storing;
    },
  };
}

/**
 * serverless-offline runs the schedules from the next full minute on: the outbox relay (the
 * outboxPublisher schedule) is started at once, as EventBridge would start it, without waiting.
 */
async function startOutboxRelay(lambdaPort: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${lambdaPort}/2015-03-31/functions/execorder-local-outboxPublisher/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
    body: JSON.stringify({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
  });
  if (res.status !== 202) throw new Error(`the outbox relay did not start: ${res.status} ${await res.text()}`);
}

export interface ExtraApi {
  url: string;
  stop(): Promise<void>;
}

/** More APIs over the stack's databases and caches, each on free ports with its own service folder. */
export function extraApiLauncher(o: { env: Record<string, string>; dataDir: string; logsDir: string }) {
  const running = new Set<ExtraApi>();
  let count = 0;
  return {
    async start(overrides: Record<string, string>): Promise<ExtraApi> {
      const [port, lambdaPort] = (await freePorts(2)) as [number, number];
      const service = apiService({
        name: `api-extra-${++count}`,
        port,
        lambdaPort,
        env: { ...o.env, ...overrides },
        dataDir: o.dataDir,
        logsDir: o.logsDir,
      });
      const extra: ExtraApi = {
        url: apiUrl(port),
        async stop() {
          running.delete(extra);
          await service.stop();
        },
      };
      running.add(extra);
      try {
        await service.start();
      } catch (err) {
        await extra.stop();
        throw err;
      }
      return extra;
    },
    stopAll: async () => void (await Promise.all([...running].map((api) => api.stop()))),
  };
}

async function linkServiceDir(serviceDir: string, bundles: string | null): Promise<void> {
  await mkdir(serviceDir, { recursive: true });
  for (const entry of await readdir(REPO)) {
    // Dot folders hold build output, git and the data folder itself; the site is not the API's.
    if (entry.startsWith('.') || entry === 'frontend' || entry === CONFIG) continue;
    await symlink(path.join(REPO, entry), path.join(serviceDir, entry)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
  const config = await readFile(path.join(REPO, CONFIG), 'utf8');
  await writeFile(path.join(serviceDir, CONFIG), bundles ? configForBundles(config, bundles) : config);
}
