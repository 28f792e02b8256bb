// The launcher killed outright (SIGKILL, as a power cut of the launcher alone would) in the middle
// of money traffic: its services live on as orphans, and the next start on the same data folder
// stops exactly those, boots, and finds the books whole. Two launchers of our own, beside the
// test stack, on free ports in a temporary folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config';
import {
  isStillRunning,
  pidsDirOf,
  processIdentity,
  readPidFiles,
  stopLeftovers,
  type PidRecord,
  type ProcessIdentity,
} from '../../local/pid-files';
import { call, type Answer } from '../helpers/http';
import { apiConfig, robokassaSignature } from '../helpers/money';

const REPO = path.resolve(__dirname, '../..');
const ADMIN = { email: 'admin@crash.local', password: 'admin-crash-password' };
const TASKS = 40;
const KILL_AFTER = 10;
const REWARD = '10.00';

let dataDir: string;
const launchers: Launcher[] = [];

interface Launcher {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<void>;
  /** The API's base URL, once booted. */
  api: string;
}

/** `npm start` on free ports with its data in dataDir, resolved once it says it is running. */
async function launch(): Promise<Launcher> {
  // The shell's configuration would reach the launcher (it reads it); this stack has its own.
  const configNames = new Set(Object.keys(parseConfig({})));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !configNames.has(name)));
  // As `npm start` runs it: one process (the tsx command would put a wrapper process in front).
  const proc = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--data-dir', dataDir, '--free-ports'], {
    cwd: REPO,
    env: {
      ...env,
      RATE_LIMIT_PER_SECOND: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      BCRYPT_ROUNDS: '4',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const launcher: Launcher = { proc, output: () => output, exited, api: '' };
  launchers.push(launcher);
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (output.includes('Ctrl-C stops everything')) done();
      else if (proc.exitCode !== null || proc.signalCode !== null) done(new Error(`the launcher exited:\n${output}`));
    }, 100);
    const done = (err?: Error) => {
      clearInterval(poll);
      if (err) reject(err);
      else resolve();
    };
  });
  launcher.api = /API +(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(output)![1]!;
  return launcher;
}

/** Every process of the groups the pid files name, as /proc describes it now. */
function processesOf(records: PidRecord[]): ProcessIdentity[] {
  const groups = new Set(records.map((r) => r.pgid));
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      const identity = processIdentity(Number(name));
      return identity && groups.has(identity.pgid) ? [identity] : [];
    });
}

async function login(api: string, email: string, password: string, role: string): Promise<string> {
  const session = await call('POST', '/api/sessions', { base: api, body: { email, password, role } });
  expect(session.status, session.text).toBe(201);
  return session.body.token;
}

function createTask(api: string, token: string, key: string): Promise<Answer> {
  return call('POST', '/api/tasks', {
    base: api,
    token,
    headers: { 'idempotency-key': key },
    body: { title: `Crash ${key}`, description: 'Survives the launcher', reward: REWARD, categoryId: 1 },
  });
}

afterAll(async () => {
  for (const launcher of launchers) {
    if (launcher.proc.exitCode === null && launcher.proc.signalCode === null) {
      launcher.proc.kill('SIGTERM');
      await launcher.exited;
    }
  }
  // Whatever a failed run left behind, stopped the way the launcher itself does it.
  if (dataDir) {
    await stopLeftovers(pidsDirOf(dataDir));
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);

it('after a SIGKILL mid-load, the next start stops the orphans it left, and nothing is lost or doubled', async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'execorder-crash-'));
  const first = await launch();

  const email = `crash-${randomUUID().slice(0, 8)}@test.local`;
  const password = 'correct horse battery';
  const account = await call('POST', '/api/accounts', {
    base: first.api,
    body: { email, password, fname: 'Ольга', sname: 'Сбоева', phone: '+79990001122' },
  });
  expect(account.status, account.text).toBe(201);
  const token = await login(first.api, email, password, 'customer');
  const payment = await call('POST', '/api/payments', { base: first.api, token, body: { amount: '1000.00' } });
  expect(payment.status, payment.text).toBe(201);
  const outSum = '1000.000000';
  // The launcher's stack signs with the same local Robokassa account as the test stack.
  const paid = await call('POST', '/api/robokassa/result', {
    base: first.api,
    raw: true,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      OutSum: outSum,
      InvId: String(payment.body.id),
      SignatureValue: robokassaSignature([outSum, payment.body.id, apiConfig.ROBOKASSA_PASSWORD2]),
    }).toString(),
  });
  expect(paid.text).toBe(`OK${payment.body.id}`);

  // Eight clients create tasks at once; the launcher dies after the tenth answer.
  const keys = Array.from({ length: TASKS }, () => randomUUID());
  const firstAnswers = new Map<string, Answer>();
  let killed = false;
  const queue = [...keys];
  const records: PidRecord[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let key = queue.shift(); key; key = queue.shift()) {
        firstAnswers.set(key, await createTask(first.api, token, key));
        if (!killed && firstAnswers.size >= KILL_AFTER) {
          killed = true;
          records.push(...readPidFiles(pidsDirOf(dataDir)).map((entry) => entry.record));
          first.proc.kill('SIGKILL');
        }
      }
    }),
  );
  await first.exited;
  expect(first.proc.signalCode).toBe('SIGKILL');

  // The orphans: every service the pid files name is still running, and the API kept answering.
  expect(records.map((r) => r.name).sort()).toEqual([
    'api',
    'maildev',
    'mariadb primary',
    'mariadb replica',
    'memcached1',
    'memcached2',
    'relay',
    'sqs',
  ]);
  for (const record of records) {
    expect(record.launcher.pid, 'the launcher is the process killed').toBe(first.proc.pid);
    expect(isStillRunning(record), record.name).toBe(true);
  }
  expect([...firstAnswers.values()].filter((a) => a.status === 201).length).toBeGreaterThan(KILL_AFTER);
  const orphans = processesOf(records);

  const second = await launch();
  expect(second.output()).toMatch(/Stopped what an earlier launcher left running: .*api \(pid \d+\)/);
  for (const record of records) expect(second.output()).toContain(`${record.name} (pid ${record.pid})`);
  // Not one process of the first run is left, wrappers and their children included.
  expect(orphans.filter(isStillRunning)).toEqual([]);
  // A live launcher's services are not leftovers: a third start on the folder is refused, harmlessly.
  await expect(launch()).rejects.toThrow(/a launcher \(pid \d+\) is running on/);
  for (const record of readPidFiles(pidsDirOf(dataDir))) expect(isStillRunning(record.record), record.record.name).toBe(true);

  // Each create, sent again with its key, answers what it answered (or creates it, if the first
  // try never committed): one task per key, and the money held for exactly those.
  const replays = await Promise.all(keys.map((key) => createTask(second.api, token, key)));
  for (const [i, replay] of replays.entries()) {
    expect(replay.status, replay.text).toBe(201);
    const before = firstAnswers.get(keys[i]!)!;
    if (before.status === 201) expect(replay.body.id).toBe(before.body.id);
  }
  expect(new Set(replays.map((r) => r.body.id)).size).toBe(TASKS);
  const mine = await call('GET', '/api/me/tasks?limit=100', { base: second.api, token });
  expect(mine.status, mine.text).toBe(200);
  expect(mine.body.items.filter((t: { title: string }) => t.title.startsWith('Crash '))).toHaveLength(TASKS);
  const me = await call('GET', '/api/me', { base: second.api, token });
  expect(me.body).toMatchObject({ balance: '600.00', balanceHeld: '400.00' });
  const adminToken = await login(second.api, ADMIN.email, ADMIN.password, 'admin');
  const books = await call('GET', '/api/admin/ledger/check', { base: second.api, token: adminToken });
  expect(books.body, books.text).toMatchObject({ ok: true, ledgerMatches: true });

  // A clean stop leaves no pid file and no process behind.
  const secondRecords = readPidFiles(pidsDirOf(dataDir)).map((entry) => entry.record);
  const secondProcesses = processesOf(secondRecords);
  second.proc.kill('SIGTERM');
  await second.exited;
  expect(readPidFiles(pidsDirOf(dataDir))).toEqual([]);
  expect(secondProcesses.filter(isStillRunning)).toEqual([]);
}, 900_000);
