// What a killed run leaves in the temporary folder is swept by the next one: its data folder, and
// a server still running in it, once no live launcher owns it and nothing touched it for a while.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isStillRunning, pidsDirOf, processIdentity, type ProcessIdentity, type PidRecord } from '../../local/pid-files';
import { signalGroup } from '../../local/process-groups';
import { sweepStaleDataDirs } from '../../local/stale-data';

const HOUR_AGO = new Date(Date.now() - 3600_000);
let under: string;
let deadLauncher: ProcessIdentity;
let leftover: ProcessIdentity;

/** A folder as a stack leaves it: a pid file of `child` started by `launcher`, touched `at`. */
async function dataFolder(name: string, o: { launcher?: ProcessIdentity; child?: ProcessIdentity; at: Date }): Promise<string> {
  const dir = path.join(under, name);
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  if (o.launcher && o.child) {
    const file = path.join(pidsDirOf(dir), 'server.json');
    await mkdir(pidsDirOf(dir));
    await writeFile(file, JSON.stringify({ name: 'server', ...o.child, launcher: o.launcher } satisfies PidRecord));
    await utimes(file, o.at, o.at);
    await utimes(pidsDirOf(dir), o.at, o.at);
  }
  await utimes(dir, o.at, o.at);
  return dir;
}

beforeAll(async () => {
  under = await mkdtemp(path.join(os.tmpdir(), 'stale-data-'));
  // A launcher that has exited, and a server it started in a group of its own that outlived it.
  const launcher = spawn('sleep', ['30']);
  deadLauncher = processIdentity(launcher.pid!)!;
  launcher.kill('SIGKILL');
  await once(launcher, 'exit');
  const server = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  server.unref();
  leftover = processIdentity(server.pid!)!;
});

afterAll(async () => {
  if (leftover && isStillRunning(leftover)) signalGroup(leftover.pgid, 'SIGKILL');
  await rm(under, { recursive: true, force: true });
});

it("removes the folders of dead launchers, stopping what still runs there, and keeps the others (a live launcher's, a fresh one, a foreign name)", async () => {
  const live = processIdentity(process.pid)!;
  await dataFolder('execorder-test-killed', { launcher: deadLauncher, child: leftover, at: HOUR_AGO });
  await dataFolder('execorder-site-old', { at: HOUR_AGO });
  await dataFolder('execorder-test-running', { launcher: live, child: leftover, at: HOUR_AGO });
  await dataFolder('execorder-crash-restarting', { launcher: deadLauncher, child: leftover, at: new Date() });
  await dataFolder('someone-else', { at: HOUR_AGO });

  const removed = await sweepStaleDataDirs(under);

  expect(removed.sort()).toEqual(['execorder-site-old', 'execorder-test-killed']);
  expect((await readdir(under)).sort()).toEqual(['execorder-crash-restarting', 'execorder-test-running', 'someone-else']);
  expect(isStillRunning(leftover), 'the server the killed launcher left').toBe(false);
});
