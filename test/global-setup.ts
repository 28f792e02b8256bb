// Boots a stack of its own for the test run, on free ports in a throw-away folder, so a
// developer's running `npm start` is never touched. Tests read it with `inject('stack')`.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack, type Stack } from '../local/stack';
import { runDataDir } from '../local/stale-data';

export type ProvidedStack = Pick<Stack, 'urls' | 'env'>;

declare module 'vitest' {
  export interface ProvidedContext {
    stack: ProvidedStack;
  }
}

// High limits for the shared API: the rate-limit tests start their own with low ones.
const TEST_ENV = {
  RATE_LIMIT_PER_SECOND: '1000',
  RATE_LIMIT_PER_MINUTE: '60000',
  BCRYPT_ROUNDS: '4',
  ADMIN_EMAIL: 'admin@test.local',
  ADMIN_PASSWORD: 'admin-test-password',
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => console.log(`[stack] ${line}`);
  const dataDir = await runDataDir('test', log);
  let stack: Stack;
  try {
    stack = await startStack({ dataDir, freePorts: true, env: TEST_ENV, log });
  } catch (err) {
    // The folder stays for its logs.
    throw new Error(`the test stack did not start (logs in ${path.join(dataDir, 'logs')}): ${(err as Error).message}`);
  }
  project.provide('stack', { urls: stack.urls, env: stack.env });
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
