// Pid files of the stack's children under `<data folder>/pids/`: whatever kills the launcher
// (SIGKILL, a power cut), the next start on the same data folder finds what the last one left
// running and stops it. A pid alone is not enough, as the kernel reuses pids: a process counts
// as ours only while its start time and command line are those recorded (and the machine has
// not rebooted since), so nothing is ever matched by name.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stopGroup } from './process-groups';

export interface ProcessIdentity {
  pid: number;
  /** The process group it leads (spawned detached), stopped as a whole. */
  pgid: number;
  /** Clock ticks after boot, field 22 of /proc/<pid>/stat. */
  startTime: number;
  cmdline: string[];
  bootId: string;
}

export interface PidRecord extends ProcessIdentity {
  name: string;
  /** The launcher that started it: while that one lives, the process is not a leftover. */
  launcher: ProcessIdentity;
}

export const pidsDirOf = (dataDir: string): string => path.join(dataDir, 'pids');

/** What /proc says about a live process, or null when there is none with this pid. */
export function processIdentity(pid: number): ProcessIdentity | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (cmdline.at(-1) === '') cmdline.pop();
    return { pid, pgid: Number(fields[2]), startTime: Number(fields[19]), cmdline, bootId: bootId() };
  } catch {
    return null;
  }
}

function bootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}

/** Records a child just spawned (spawn returns after the exec, so the command line is the child's). */
export function writePidFile(dir: string, name: string, pid: number): string | undefined {
  const identity = processIdentity(pid);
  if (!identity) return undefined; // already gone: nothing to leave behind
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ name, ...identity, launcher: processIdentity(process.pid)! } satisfies PidRecord));
  return file;
}

/** Removes the file if it still describes this pid (a later child of the same name may own it now). */
export function removePidFile(file: string, pid: number): void {
  if (readRecord(file)?.pid === pid) rmSync(file, { force: true });
}

export function readPidFiles(dir: string): { file: string; record: PidRecord }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = path.join(dir, name);
    const record = readRecord(file);
    return record ? [{ file, record }] : [];
  });
}

function readRecord(file: string): PidRecord | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
}

/** Whether the process a record describes is still running: same pid, start, command and boot. */
export function isStillRunning(record: ProcessIdentity): boolean {
  const now = processIdentity(record.pid);
  return (
    now !== null &&
    now.bootId === record.bootId &&
    now.startTime === record.startTime &&
    JSON.stringify(now.cmdline) === JSON.stringify(record.cmdline)
  );
}

/**
 * Stops every process an earlier launcher left running (its whole group), and forgets the pid
 * files of processes that are gone. Returns a line per process stopped. Refuses while the
 * launcher that started them is alive: that is a stack running on this folder, not leftovers.
 */
export async function stopLeftovers(dir: string): Promise<string[]> {
  const records = readPidFiles(dir);
  const alive = records.find(({ record }) => record.launcher.pid !== process.pid && isStillRunning(record.launcher));
  if (alive) {
    throw new Error(
      `a launcher (pid ${alive.record.launcher.pid}) is running on ${path.dirname(dir)}: stop it first, or use another --data-dir`,
    );
  }
  const stopped = await Promise.all(
    records.map(async ({ file, record }) => {
      const running = isStillRunning(record);
      if (running) await stopGroup(record.pgid);
      rmSync(file, { force: true });
      return running ? `${record.name} (pid ${record.pid})` : null;
    }),
  );
  return stopped.filter((line) => line !== null);
}
