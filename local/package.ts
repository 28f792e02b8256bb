// `npm run package`: `serverless package` (the arguments passed on) with a temporary folder of
// its own, removed afterwards. serverless-esbuild stages each function's zip in
// `<os.tmpdir()>/<function>-<pid>-<time>-<random>` and its clean-up, a non-recursive remove of
// that non-empty folder, fails silently (floydspace/serverless-esbuild#589): about 8 MB per
// function per run, left behind for good (20 GB here after a few weeks of test runs).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const SERVERLESS = path.resolve(__dirname, '../node_modules/serverless/bin/serverless.js');

async function main(): Promise<number> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'execorder-package-tmp-'));
  try {
    const child = spawn(process.execPath, [SERVERLESS, 'package', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, TMPDIR: tmpDir },
    });
    // Ctrl-C reaches the framework too (same process group); this process waits for it and cleans up.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`package: ${err.message}`);
    process.exit(1);
  },
);
