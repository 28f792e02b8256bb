// The API: `serverless offline` running the functions of serverless.yml in process.
//
// Each instance runs in a service folder of its own under the data folder, made of links back to
// the repository. serverless-esbuild bundles into `<service folder>/.esbuild` and deletes that
// folder when a `serverless package` finishes, so two instances (the stack's API and an extra one,
// or the test stack and a developer's `npm start`, or a packaging test) sharing the repository's
// folder would overwrite or delete each other's bundles.
import { copyFile, mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { isListening } from './ports';
import { childService, type Service } from './processes';

const REPO = path.resolve(__dirname, '..');
const SERVERLESS = path.join(REPO, 'node_modules/serverless/bin/serverless.js');
// The framework only accepts a real file as its configuration, so that one is copied.
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
  const offline = childService(
    {
      name: o.name,
      command: process.execPath,
      args: [SERVERLESS, 'offline', 'start', '--host', '127.0.0.1'],
      cwd: serviceDir,
      env: { ...process.env, ...o.env, API_PORT: String(o.port), LAMBDA_PORT: String(o.lambdaPort) },
      logFile: path.join(o.logsDir, `${o.name}.log`),
    },
    // serverless-offline listens once every route is in place. Not a request to /api/health: that
    // would count against the rate limit of an API started with low limits for a test.
    () => isListening(o.port),
    180_000,
  );
  return {
    async start() {
      await linkServiceDir(serviceDir);
      await offline.start();
    },
    stop: () => offline.stop(),
  };
}

async function linkServiceDir(serviceDir: string): Promise<void> {
  await mkdir(serviceDir, { recursive: true });
  for (const entry of await readdir(REPO)) {
    // Dot folders hold build output, git and the data folder itself; the site is not the API's.
    if (entry.startsWith('.') || entry === 'frontend' || entry === CONFIG) continue;
    await symlink(path.join(REPO, entry), path.join(serviceDir, entry)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
  await copyFile(path.join(REPO, CONFIG), path.join(serviceDir, CONFIG));
}
