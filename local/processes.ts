// Child processes of the stack: each in its own process group, output to a log file, stopped
// by signalling the whole group, so that wrappers (serverless → esbuild) leave nothing behind.
// Each has a pid file while it runs (local/pid-files.ts), so a launcher killed outright leaves
// the next one a list of what to stop.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { removePidFile, writePidFile } from './pid-files';
import { signalGroup, sleep, stopGroup, waitGroupGone } from './process-groups';

export interface SpawnSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

interface Child {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited, with its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Something the stack can stop and start again, with the same ports and data. */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A child process's: SIGSTOP to its group (it keeps its sockets and memory, answers nothing), then SIGCONT. */
  freeze?(): Promise<void>;
  thaw?(): Promise<void>;
}

const live = new Set<Child & { pidFile?: string }>();
let closed = false;
let pidsDir: string | undefined;

/** Where every child spawned from now on records its pid file (the stack's `<data>/pids`). */
export function keepPidFilesIn(dir: string): void {
  pidsDir = dir;
}

function spawnChild(spec: SpawnSpec): Child {
  if (closed) throw new Error(`not starting ${spec.name}: the stack is shutting down`);
  const log = openSync(spec.logFile, 'a');
  const proc = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => resolve(code));
    proc.once('error', () => resolve(-1));
  });
  if (proc.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  const pid = proc.pid;
  const child = {
    name: spec.name,
    pid,
    logFile: spec.logFile,
    exited,
    stop: () => stopGroup(pid, exited),
    pidFile: pidsDir === undefined ? undefined : writePidFile(pidsDir, spec.name, pid),
  };
  live.add(child);
  void exited
    .then(() => waitGroupGone(pid))
    .finally(() => {
      live.delete(child);
      if (child.pidFile) removePidFile(child.pidFile, pid);
    });
  return child;
}

/** A long-running child: start spawns it and waits until `ready` holds; start after stop respawns it. */
export function childService(spec: SpawnSpec, ready: () => Promise<boolean>, readyTimeoutMs: number): Service {
  let current: { child: Child; running: boolean } | undefined;
  const signalled = (signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> =>
    current?.running && signalGroup(current.child.pid, signal)
      ? Promise.resolve()
      : Promise.reject(new Error(`${spec.name} is not running`));
  return {
    async start() {
      if (current?.running) return;
      const child = spawnChild(spec);
      const entry = { child, running: true };
      void child.exited.then(() => (entry.running = false));
      current = entry;
      try {
        await waitReady(child, ready, readyTimeoutMs);
      } catch (err) {
        await child.stop();
        throw err;
      }
    },
    async stop() {
      const entry = current;
      current = undefined;
      await entry?.child.stop();
    },
    freeze: () => signalled('SIGSTOP'),
    thaw: () => signalled('SIGCONT'),
  };
}

/** Runs a command to completion (its own group too, so Ctrl-C handling stays ours); rejects on failure. */
export async function runToCompletion(spec: SpawnSpec): Promise<void> {
  const child = spawnChild(spec);
  const code = await child.exited;
  if (code !== 0) throw new Error(`${spec.name} failed (exit ${code}):\n${logTail(spec.logFile)}`);
}

/** Stops every child still running and refuses new ones: for Ctrl-C in the middle of a boot. */
export async function stopAllChildren(): Promise<void> {
  closed = true;
  await Promise.all([...live].map((c) => c.stop()));
}

let signalled = false;

/** Whether a stop signal came (a boot it cut short fails on its way out, which is expected then). */
export const stopSignalled = (): boolean => signalled;

/**
 * On Ctrl-C, SIGTERM or SIGHUP, mid-boot too: `also` (processes of the caller's own), every child
 * stopped, then exit. The children sit in process groups of their own, so no signal reaches them
 * but this; a launcher that skipped it would leave them running.
 */
export function stopChildrenOnSignals(exitCode: number, also: () => void = () => undefined): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      console.log(`\n${signal}: stopping…`);
      also();
      void stopAllChildren().then(() => {
        console.log('stopped');
        process.exit(exitCode);
      });
    });
  }
}

/** Polls `ready` until it holds, failing early with the log tail if the child dies meanwhile. */
async function waitReady(child: Child, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`${child.name} exited (code ${exitCode}) before it was ready:\n${logTail(child.logFile)}`);
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      throw new Error(`${child.name} not ready after ${timeoutMs / 1000} s:\n${logTail(child.logFile)}`);
    }
    await sleep(100);
  }
}

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// Last resort when the parent exits without stopping the stack (a crash, vitest killed by a bug):
// children in their own process groups would otherwise outlive it.
process.on('exit', () => {
  for (const child of live) {
    signalGroup(child.pid, 'SIGKILL');
    if (child.pidFile) removePidFile(child.pidFile, child.pid);
  }
});
