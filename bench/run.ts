// `npm run bench`: load on a stack of its own (free ports, throw-away data folder): the product
// beside a bare floor (bench/compare.ts), then autocannon scenarios (worker-thread mode too with
// BENCH_THREADS=1), and the API's memory. Writes bench/results/latest.{json,md}.
import autocannon from 'autocannon';
import { readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stopChildrenOnSignals, stopSignalled } from '../local/processes';
import { startStack } from '../local/stack';
import { runDataDir } from '../local/stale-data';
import { benchPipeline, drainPipeline } from './pipeline';
import { compareInProcess, createsPerSecond, seedPairs, startFloorServer } from './compare';
import { json, topUpByCallback } from './http';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Customers the spread creates go over: one account's creates queue on its row lock, on purpose. */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 200);
/** Sequential cycles for the handler CPU (in ten blocks each, the product and the floor in turn), and the cycles/s run. */
const CYCLES = Number(process.env.BENCH_CYCLES ?? 200);
const CYCLE_SECONDS = Number(process.env.BENCH_CYCLE_SECONDS ?? 10);
const CYCLE_WORKERS = 4;
const LONG_SECONDS = Number(process.env.BENCH_LONG_SECONDS ?? 0);

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  token?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'health (both databases and cache probed)', method: 'GET', path: '/api/health' },
  { name: 'feed, first page (memcached)', method: 'GET', path: '/api/tasks' },
  { name: 'me (session on primary, account on replica)', method: 'GET', path: '/api/me', token: true },
  {
    name: 'create task (money transaction on primary)',
    method: 'POST',
    path: '/api/tasks',
    token: true,
    body: JSON.stringify({ title: 'Bench', description: 'load', reward: '1.00', categoryId: 1 }),
  },
];

interface Result {
  mode: string;
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  rssMb: number | null;
}

/** A customer with money enough for every create the bench will make, topped up the real way. */
async function customerToken(api: string, env: Record<string, string>): Promise<string> {
  const account = { email: `bench-${Date.now()}@bench.local`, password: 'bench password', fname: 'B', sname: 'B', phone: '+70000000001' };
  await json(api, 'POST', '/api/accounts', account);
  const { token } = await json(api, 'POST', '/api/sessions', { email: account.email, password: account.password, role: 'customer' });
  for (let i = 0; i < 3; i++) await topUpByCallback(api, env, token);
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
    url: `${base}${scenario.path}`,
    method: scenario.method,
    body: scenario.body,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { 'content-type': 'application/json', ...(scenario.token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

/** Samples the API's resident memory every `everyMs` while `work` runs. */
async function withRss<T>(serviceDir: string, work: () => Promise<T>, everyMs = 1000): Promise<{ result: T; rssMb: (number | null)[] }> {
  const rssMb: (number | null)[] = [await rssOf(serviceDir)];
  const timer = setInterval(() => void rssOf(serviceDir).then((mb) => rssMb.push(mb)), everyMs);
  try {
    return { result: await work(), rssMb };
  } finally {
    clearInterval(timer);
    rssMb.push(await rssOf(serviceDir));
  }
}

const ratio = (product: number, floor: number) => (floor > 0 ? (product / floor).toFixed(2) : '?');
const ms = (n: number) => n.toFixed(2);

interface Comparison {
  measure: string;
  product: string;
  floor: string;
  ratio: string;
  target: string;
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[stack] ${line}`);
  const dataDir = await runDataDir('bench', log);
  const noLimits = { RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0' };
  let floorServer: Awaited<ReturnType<typeof startFloorServer>> | undefined;
  // Stopped by a signal (Ctrl-C, a timeout's SIGTERM), the bench stops its stack and floor too.
  stopChildrenOnSignals(1, () => floorServer?.stop());
  const stack = await startStack({ dataDir, freePorts: true, env: noLimits, log });
  const results: Result[] = [];
  const comparisons: Comparison[] = [];
  const rssSeries: { phase: string; rssMb: (number | null)[] }[] = [];
  try {
    const apiDir = path.join(dataDir, 'api', 'api');
    const pairs = await seedPairs(stack.env, ACCOUNTS);
    console.log(`seeded ${pairs.length} customers with money and ${pairs.length} executors`);

    // Handler CPU, statements and cycles/s: both called in this process, one after the other.
    const inProcess = await compareInProcess(stack.env, pairs, { cycles: CYCLES, seconds: CYCLE_SECONDS, workers: CYCLE_WORKERS });
    console.log(`the floor sends the product's ${inProcess.sameStatements} statements of a cycle and a /api/me, word for word`);
    const steps = ['create', 'take', 'submit', 'accept', 'cycle'] as const;
    for (const step of steps) {
      comparisons.push({
        measure: `handler CPU per ${step}, ms`,
        product: ms(inProcess.product[step]),
        floor: ms(inProcess.floor[step]),
        ratio: ratio(inProcess.product[step], inProcess.floor[step]),
        target: '≤ 1.5',
      });
    }
    // Where the rest goes: the same steps without the HTTP pipeline around them.
    comparisons.push({
      measure: `CPU per ${steps.join(' / ')} without the HTTP pipeline (session lookup and domain call alone), ms`,
      product: steps.map((step) => ms(inProcess.domain[step])).join(' / '),
      floor: steps.map((step) => ms(inProcess.floor[step])).join(' / '),
      ratio: steps.map((step) => ratio(inProcess.domain[step], inProcess.floor[step])).join(' / '),
      target: '(where the cost is)',
    });
    for (const read of ['feed', 'me'] as const) {
      const what = read === 'feed' ? 'feed page (cached)' : '/api/me';
      comparisons.push({
        measure: `handler CPU per ${what}, ms`,
        product: ms(inProcess.reads.product[read]),
        floor: ms(inProcess.reads.floor[read]),
        ratio: ratio(inProcess.reads.product[read], inProcess.reads.floor[read]),
        target: '≤ 1.3',
      });
      comparisons.push({
        measure: `CPU per ${what} without the HTTP pipeline (session lookup and domain call alone), ms`,
        product: ms(inProcess.reads.domain[read]),
        floor: ms(inProcess.reads.floor[read]),
        ratio: ratio(inProcess.reads.domain[read], inProcess.reads.floor[read]),
        target: '(where the cost is)',
      });
    }
    comparisons.push({
      measure: 'statements of a cycle and a /api/me, the same texts in the same order',
      product: String(inProcess.sameStatements),
      floor: String(inProcess.sameStatements),
      ratio: '1.00',
      target: 'the same',
    });
    comparisons.push({
      measure: 'SQL statements per create',
      product: inProcess.statements.product.toFixed(1),
      floor: inProcess.statements.floor.toFixed(1),
      ratio: ratio(inProcess.statements.product, inProcess.statements.floor),
      target: 'product ≤ 12',
    });
    comparisons.push({
      measure: `cycles/s in process (${CYCLE_WORKERS} pairs at once)`,
      product: inProcess.cyclesPerSecond.product.toFixed(1),
      floor: inProcess.cyclesPerSecond.floor.toFixed(1),
      ratio: ratio(inProcess.cyclesPerSecond.product, inProcess.cyclesPerSecond.floor),
      target: '≥ 0.8',
    });

    // Through HTTP: the product behind serverless-offline, the floor behind node:http, same load;
    // first the notifications of the in-process phase are sent (their consumer shares the machine's cores).
    const left = await drainPipeline(stack.env);
    console.log(`the in-process phase's notifications are sent${left > 0 ? ` but ${left} (drain timed out)` : ''}`);
    floorServer = await startFloorServer(stack.env);
    const token = pairs[0]!.customer.token;
    const http = async (
      name: string,
      floorRun: () => Promise<autocannon.Result>,
      productRun: () => Promise<autocannon.Result>,
      target: string,
    ) => {
      await floorRun();
      const floor = await floorRun();
      await productRun();
      const product = await withRss(apiDir, productRun);
      rssSeries.push({ phase: name, rssMb: product.rssMb });
      comparisons.push({
        measure: `${name}, req/s (p99 ms)`,
        product: `${Math.round(product.result.requests.average)} (${product.result.latency.p99})`,
        floor: `${Math.round(floor.requests.average)} (${floor.latency.p99})`,
        ratio: ratio(product.result.requests.average, floor.requests.average),
        target,
      });
      return product.result;
    };
    const read = (base: string, scenario: Scenario) => () => load(base, scenario, token);
    await http('feed, first page (memcached)', read(floorServer.url, SCENARIOS[1]!), read(stack.urls.api, SCENARIOS[1]!), '≥ 1/1.3');
    await http(
      'me (session on primary, account on replica)',
      read(floorServer.url, SCENARIOS[2]!),
      read(stack.urls.api, SCENARIOS[2]!),
      '≥ 1/1.3',
    );
    const creates = await http(
      `creates over ${pairs.length} accounts`,
      () => createsPerSecond(floorServer!.url, pairs, CONNECTIONS, DURATION_SECONDS),
      () => createsPerSecond(stack.urls.api, pairs, CONNECTIONS, DURATION_SECONDS),
      '≥ 2.5 × 89/s = 223/s',
    );
    console.log(
      `creates through HTTP: ${Math.round(creates.requests.average)}/s, ${(creates.requests.average / 89).toFixed(2)} × the 89/s of the issue; non-2xx ${creates.non2xx}`,
    );
    for (const c of comparisons)
      console.log(`${c.measure.padEnd(52)} product ${c.product.padStart(12)}  floor ${c.floor.padStart(12)}  ratio ${c.ratio}`);

    // The scenarios of every run, product only; worker-thread mode with BENCH_THREADS=1.
    const modes: { mode: string; base: string; serviceDir: string; stop: () => Promise<void> }[] = [
      { mode: 'in-process', base: stack.urls.api, serviceDir: apiDir, stop: () => Promise.resolve() },
    ];
    if (process.env.BENCH_THREADS === '1') {
      // The launcher names the stack's API folder `api` and the first extra one `api-extra-1`.
      const threads = await stack.startExtraApi({ ...noLimits, OFFLINE_IN_PROCESS: 'false' });
      modes.push({
        mode: 'worker threads',
        base: threads.url,
        serviceDir: path.join(dataDir, 'api', 'api-extra-1'),
        stop: () => threads.stop(),
      });
    }
    for (const m of modes) {
      const scenarioToken = await customerToken(m.base, stack.env);
      for (const scenario of SCENARIOS) {
        await load(m.base, scenario, scenarioToken); // warm-up: bundles loaded, pools filled
        const r = await load(m.base, scenario, scenarioToken);
        const result: Result = {
          mode: m.mode,
          scenario: scenario.name,
          requestsPerSecond: Math.round(r.requests.average),
          p50: r.latency.p50,
          p99: r.latency.p99,
          errors: r.errors,
          non2xx: r.non2xx,
          rssMb: await rssOf(m.serviceDir),
        };
        results.push(result);
        console.log(
          `${m.mode.padEnd(15)} ${scenario.name.padEnd(48)} ${String(result.requestsPerSecond).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  rss ${result.rssMb} MB  non-2xx ${result.non2xx}`,
        );
      }
      await m.stop();
    }
    await benchPipeline(stack);

    // BENCH_LONG_SECONDS: creates and feed reads for that long, the API's memory sampled every 10 s.
    if (LONG_SECONDS > 0) {
      let requests = 0;
      const long = await withRss(
        apiDir,
        async () => {
          const until = Date.now() + LONG_SECONDS * 1000;
          while (Date.now() < until) {
            const seconds = Math.min(30, Math.ceil((until - Date.now()) / 1000));
            const [c, f] = await Promise.all([
              createsPerSecond(stack.urls.api, pairs, CONNECTIONS / 2, seconds),
              autocannon({ url: `${stack.urls.api}/api/tasks`, connections: CONNECTIONS / 2, duration: seconds }),
            ]);
            requests += c.requests.total + f.requests.total;
            console.log(`long run: ${requests} requests, API RSS ${await rssOf(apiDir)} MB`);
          }
        },
        10_000,
      );
      rssSeries.push({ phase: `long run, ${requests} requests`, rssMb: long.rssMb });
    }
  } finally {
    floorServer?.stop();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const when = new Date().toISOString();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end`;
  await writeFile(
    path.join(__dirname, 'results/latest.json'),
    JSON.stringify(
      { when, machine, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, comparisons, results, rssSeries },
      null,
      2,
    ) + '\n',
  );
  const table = results.map(
    (r) => `| ${r.mode} | ${r.scenario} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.rssMb ?? '?'} | ${r.non2xx + r.errors} |`,
  );
  await writeFile(
    path.join(__dirname, 'results/latest.md'),
    [
      `# Benchmark ${when}`,
      '',
      `${machine}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario after a warm-up run; the whole stack on this machine.`,
      '',
      '## The product beside the floor (bench/floor.ts), same run',
      '',
      '| measure | product | floor | product / floor | target |',
      '|---|---|---|---|---|',
      ...comparisons.map((c) => `| ${c.measure} | ${c.product} | ${c.floor} | ${c.ratio} | ${c.target} |`),
      '',
      '## Scenarios',
      '',
      '| mode | scenario | req/s | p50 ms | p99 ms | API RSS MB | errors + non-2xx |',
      '|---|---|---|---|---|---|---|',
      ...table,
      '',
      '## API resident memory (MB) over each phase',
      '',
      ...rssSeries.map((r) => `- ${r.phase}: ${r.rssMb.map((mb) => mb ?? '?').join(' → ')}`),
      '',
    ].join('\n'),
  );
  console.log('written bench/results/latest.json and bench/results/latest.md');
}

main().catch((err) => {
  if (stopSignalled()) return; // a run cut short by a signal fails on its way out; the handler exits
  console.error(err);
  process.exit(1);
});
