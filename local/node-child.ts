// Launcher code that runs as a child process of its own (the events queue, its relay), so that it
// can be frozen, killed and restarted like the other services: node with tsx's loader, running an
// entry file of local/ with its options as one JSON argument.
import path from 'node:path';
import type { SpawnSpec } from './processes';

const REPO = path.resolve(__dirname, '..');

/** `env`: the child's whole environment (by default the launcher's). */
export function nodeChildSpec(name: string, entry: string, options: unknown, logsDir: string, env?: NodeJS.ProcessEnv): SpawnSpec {
  return {
    name,
    env,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(__dirname, entry), JSON.stringify(options)],
    cwd: REPO,
    logFile: path.join(logsDir, `${name}.log`),
  };
}

/** In the child: its options, as the launcher passed them. */
export function childOptions<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** In the child: on SIGTERM or SIGINT, `close` and exit. */
export function closeOnSignal(close: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void close().finally(() => process.exit(0)));
  }
}
