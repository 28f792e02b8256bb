// `npm run bench`: load on a stack of its own (free ports, throw-away data folder), with
// autocannon, for both serverless-offline modes. Writes bench/results/latest.{json,md}.
import autocannon from 'autocannon';
import { mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../local/stack';
import { benchPipeline } from './pipeline';
import { robokassaHash } from '../shared/payments/robokassa';
import { parseConfig } from '../shared/config';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

interface Scenario { name: string; method: 'GET' | 'POST'; path: string; body?: string; token?: boolean }

const SCENARIOS: Scenario[] = [
  { name: 'health (both databases and cache probed)', method: 'GET', path: '/api/health' },
  { name: 'feed, first page (memcached)', method: 'GET', path: '/api/tasks' },
  { name: 'me (session on primary, account on replica)', method: 'GET', path: '/api/me', token: true },
  { name: 'create task (money transaction on primary)', method: 'POST', path: '/api/tasks', token: true,
    body: JSON.stringify({ title: 'Bench', description: 'load', reward: '1.00', categoryId: 1 }) },
];

interface Result { mode: string; scenario: string; requestsPerSecond: number; p50: number; p99: number; errors: number; non2xx: number; rssMb: number | null }

async function json(base: string, method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A customer with money enough for every create the bench will make, topped up the real way. */
async function customerToken(api: string, env: Record<string, string>): Promise<string> {
  const cfg = parseConfig(env);
  const account = { email: `bench-${Date.now()}@bench.local`, password: 'bench password', fname: 'B', sname: 'B', phone: '+70000000001' };
  await json(api, 'POST', '/api/accounts', account);
  const { token } = await json(api, 'POST', '/api/sessions', { email: account.email, password: account.password, role: 'customer' });
  for (let i = 0; i < 3; i++) {
    const payment = await json(api, 'POST', '/api/payments', { amount: '999999.00' }, token);
    const outSum = '999999.000000';
    const form = new URLSearchParams({ OutSum: outSum, InvId: String(payment.id),
      SignatureValue: robokassaHash(cfg.ROBOKASSA_HASH, `${outSum}:${payment.id}:${cfg.ROBOKASSA_PASSWORD2}`) });
    await fetch(`${api}/api/robokassa/result`, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  return token;
}

/** Resident memory of the serverless-offline process serving `port` (found by its working folder). */
async function rssOf(serviceDir: string): Promise<number | null> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cwd !== serviceDir) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    if (kb) return Math.round(Number(kb) / 1024);
  }
  return null;
}

async function load(base: string, scenario: Scenario, token: string): Promise<autocannon.Result> {
  return autocannon({
    url: `${base}${scenario.path}`, method: scenario.method, body: scenario.body, connections: CONNECTIONS, duration: DURATION_SECONDS,
    headers: { 'content-type': 'application/json', ...(scenario.token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'execorder-bench-'));
  const log = (line: string) => console.log(`[stack] ${line}`);
  const noLimits = { RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0' };
  const stack = await startStack({ dataDir, freePorts: true, env: noLimits, log });
  const results: Result[] = [];
  try {
    // The launcher names the stack's API folder `api` and the first extra one `api-extra-1`.
    const threads = await stack.startExtraApi({ ...noLimits, OFFLINE_IN_PROCESS: 'false' });
    const modes: { mode: string; base: string; serviceDir: string; stop: () => Promise<void> }[] = [
      { mode: 'in-process', base: stack.urls.api, serviceDir: path.join(dataDir, 'api', 'api'), stop: async () => undefined },
      { mode: 'worker threads', base: threads.url, serviceDir: path.join(dataDir, 'api', 'api-extra-1'), stop: threads.stop },
    ];
    for (const m of modes) {
      const token = await customerToken(m.base, stack.env);
      for (const scenario of SCENARIOS) {
        await load(m.base, scenario, token); // warm-up: bundles loaded, pools filled
        const r = await load(m.base, scenario, token);
        const result: Result = {
          mode: m.mode, scenario: scenario.name, requestsPerSecond: Math.round(r.requests.average),
          p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, rssMb: await rssOf(m.serviceDir),
        };
        results.push(result);
        console.log(`${m.mode.padEnd(15)} ${scenario.name.padEnd(48)} ${String(result.requestsPerSecond).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  rss ${result.rssMb} MB  non-2xx ${result.non2xx}`);
      }
      await m.stop();
    }
    await benchPipeline(stack);
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const when = new Date().toISOString();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  await writeFile(path.join(__dirname, 'results/latest.json'), JSON.stringify({ when, machine, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, results }, null, 2) + '\n');
  const table = results.map((r) => `| ${r.mode} | ${r.scenario} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.rssMb ?? '?'} | ${r.non2xx + r.errors} |`);
  await writeFile(path.join(__dirname, 'results/latest.md'), [
    `# Benchmark ${when}`, '', `${machine}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario after a warm-up run; the whole stack on this machine.`, '',
    '| mode | scenario | req/s | p50 ms | p99 ms | API RSS MB | errors + non-2xx |', '|---|---|---|---|---|---|---|', ...table, '',
  ].join('\n'));
  console.log('written bench/results/latest.json and bench/results/latest.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
