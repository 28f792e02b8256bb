// The data folders killed runs leave in the system's temporary folder. A test run's or a bench's
// stack lives in an `execorder-*` folder (mkdtemp) that its own end removes; a run that was killed
// leaves it (two MariaDB data folders and the logs, 100–600 MB each) and, when the kill missed
// its children, servers still running in it. The next run sweeps them: a folder whose pid files
// name no live launcher and that nothing touched for half an hour has what is left running in it
// stopped, as `npm start` stops its own leftovers, and is removed. Half an hour, because a folder
// may be between a launcher's death and the next start on it (the launcher-crash test does that).
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isStillRunning, pidsDirOf, readPidFiles, stopLeftovers } from './pid-files';

const PREFIX = 'execorder-';
const QUIET_FOR_MS = 30 * 60_000;

/** Removes the stale `execorder-*` folders under `under` (by default the system's temporary folder); returns their names. */
export async function sweepStaleDataDirs(under = os.tmpdir()): Promise<string[]> {
  const now = Date.now();
  const removed: string[] = [];
  for (const name of await readdir(under).catch(() => [] as string[])) {
    const dir = path.join(under, name);
    if (!name.startsWith(PREFIX) || !(await isStale(dir, now))) continue;
    await stopLeftovers(pidsDirOf(dir)).catch(() => undefined);
    // Another user's folder (a shared /tmp) may not be ours to remove: it stays.
    const gone = await rm(dir, { recursive: true, force: true })
      .then(() => true)
      .catch(() => false);
    if (gone) removed.push(name);
  }
  return removed;
}

async function isStale(dir: string, now: number): Promise<boolean> {
  const folder = await stat(dir).catch(() => null);
  if (!folder?.isDirectory()) return false;
  const records = readPidFiles(pidsDirOf(dir));
  if (records.some(({ record }) => isStillRunning(record.launcher))) return false;
  const touched = await Promise.all(records.map(async ({ file }) => (await stat(file).catch(() => folder)).mtimeMs));
  return now - Math.max(folder.mtimeMs, ...touched) > QUIET_FOR_MS;
}

/** A new `execorder-<kind>-*` folder for a run's stack, after sweeping what killed runs left. */
export async function runDataDir(kind: string, log: (line: string) => void): Promise<string> {
  const swept = await sweepStaleDataDirs();
  if (swept.length > 0) log(`removed ${swept.length} data folders that killed runs left: ${swept.join(', ')}`);
  return mkdtemp(path.join(os.tmpdir(), `${PREFIX}${kind}-`));
}
