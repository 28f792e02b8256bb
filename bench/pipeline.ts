// The event pipeline's bench: how many notification e-mails a second reach the mail catcher, and
// how far behind the consumer runs (event committed → its e-mail accepted by SMTP) under a steady
// stream of task creates. `npx tsx bench/pipeline.ts` boots a stack of its own; bench/run.ts passes
// its stack. Writes bench/results/pipeline.{json,md}.
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { stopChildrenOnSignals, stopSignalled } from '../local/processes';
import { startStack, type Stack } from '../local/stack';
import { runDataDir } from '../local/stale-data';
import { primaryOf } from './db';
import { json, topUpByCallback } from './http';

const SECONDS = Number(process.env.BENCH_PIPELINE_SECONDS ?? 10);
/** Throughput: tasks in a category this many executors follow, each task one e-mail to each and one to its customer. */
const SUBSCRIBERS = Number(process.env.BENCH_PIPELINE_SUBSCRIBERS ?? 100);
const FANOUT_CREATES_PER_SECOND = Number(process.env.BENCH_PIPELINE_FANOUT_RATE ?? 5);
/** Lag: creates a second, each one e-mail to its customer, spread over accounts (one account's creates are serialized by its row lock). */
const CREATES_PER_SECOND = Number(process.env.BENCH_PIPELINE_RATE ?? 100);
const CUSTOMERS = 40;
const MAX_CONCURRENT_CREATES = 48;
const DRAIN_TIMEOUT_MS = 120_000;

interface PhaseResult {
  scenario: string;
  createsOffered: number;
  createsPerSecond: number;
  non201: number;
  emails: number;
  /** Over the span from the first e-mail accepted to the last. */
  emailsPerSecond: number;
  lagMs: { p50: number; p95: number; p99: number; max: number };
  undelivered: number;
}

export interface PipelineResults {
  when: string;
  machine: string;
  durationSeconds: number;
  phases: PhaseResult[];
}

let people = 0;

async function person(api: string, role: 'customer' | 'executor'): Promise<string> {
  const account = {
    email: `pipe-${process.pid}-${++people}@bench.local`,
    password: 'bench password',
    fname: 'B',
    sname: 'B',
    phone: '+70000000001',
  };
  await json(api, 'POST', '/api/accounts', account);
  return (await json(api, 'POST', '/api/sessions', { email: account.email, password: account.password, role })).token;
}

async function richCustomer(api: string, env: Record<string, string>): Promise<string> {
  const token = await person(api, 'customer');
  await topUpByCallback(api, env, token);
  return token;
}

/** Creates at a steady rate for SECONDS, round-robin over the customers; returns what was offered and refused. */
async function createAtRate(
  api: string,
  tokens: string[],
  categoryId: number,
  perSecond: number,
): Promise<{ offered: number; non201: number; seconds: number }> {
  const began = Date.now();
  const total = Math.round(perSecond * SECONDS);
  const inFlight = new Set<Promise<void>>();
  let non201 = 0;
  for (let i = 0; i < total; i++) {
    const due = began + (i * 1000) / perSecond;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    while (inFlight.size >= MAX_CONCURRENT_CREATES) await Promise.race(inFlight);
    const create = fetch(`${api}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
      body: JSON.stringify({ title: `Pipeline ${i}`, description: 'bench', reward: '1.00', categoryId }),
    })
      .then(
        async (res) => {
          await res.arrayBuffer();
          if (res.status !== 201) non201++;
        },
        () => void non201++,
      )
      .finally(() => inFlight.delete(create));
    inFlight.add(create);
  }
  await Promise.all(inFlight);
  return { offered: total, non201, seconds: (Date.now() - began) / 1000 };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Waits until every e-mail job of the events after `afterOutboxId` is done (or the time is up), then measures them. */
async function measure(
  db: Connection,
  scenario: string,
  afterOutboxId: number,
  load: { offered: number; non201: number; seconds: number },
  timeoutMs = DRAIN_TIMEOUT_MS,
): Promise<PhaseResult> {
  const deadline = Date.now() + timeoutMs;
  let undelivered = 0;
  for (;;) {
    const [rows] = await db.query(
      `SELECT (SELECT COUNT(*) FROM outbox WHERE id > ? AND processed_at IS NULL)
            + (SELECT COUNT(*) FROM notification_job WHERE outbox_id > ? AND status <> 'done') AS open`,
      [afterOutboxId, afterOutboxId],
    );
    undelivered = Number((rows as { open: number }[])[0]!.open);
    if (undelivered === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const [rows] = await db.query(
    `SELECT TIMESTAMPDIFF(MICROSECOND, o.created_at, j.sent_at) / 1000 AS lagMs, UNIX_TIMESTAMP(j.sent_at) * 1000 AS sentMs
       FROM notification_job j JOIN outbox o ON o.id = j.outbox_id
      WHERE j.outbox_id > ? AND j.channel = 'email' AND j.status = 'done'`,
    [afterOutboxId],
  );
  const sent = rows as { lagMs: string; sentMs: string }[];
  const lags = sent.map((r) => Number(r.lagMs)).sort((a, b) => a - b);
  const times = sent.map((r) => Number(r.sentMs));
  const spanSeconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
  return {
    scenario,
    createsOffered: load.offered,
    createsPerSecond: Math.round((load.offered - load.non201) / load.seconds),
    non201: load.non201,
    emails: sent.length,
    emailsPerSecond: spanSeconds > 0 ? Math.round(sent.length / spanSeconds) : 0,
    lagMs: {
      p50: Math.round(percentile(lags, 50)),
      p95: Math.round(percentile(lags, 95)),
      p99: Math.round(percentile(lags, 99)),
      max: Math.round(lags.at(-1) ?? 0),
    },
    undelivered,
  };
}

/**
 * Waits (at most DRAIN_TIMEOUT_MS) until the pipeline has nothing left to do: its consumer shares
 * the machine's two cores, so a backlog of e-mails would be measured as the API's slowness.
 */
export async function drainPipeline(env: Record<string, string>, timeoutMs = 5 * DRAIN_TIMEOUT_MS): Promise<number> {
  const db = await primaryOf(env);
  try {
    return (await measure(db, 'drain', 0, { offered: 0, non201: 0, seconds: 1 }, timeoutMs)).undelivered;
  } finally {
    await db.end();
  }
}

async function lastOutboxId(db: Connection): Promise<number> {
  const [rows] = await db.query('SELECT COALESCE(MAX(id), 0) AS last FROM outbox');
  return Number((rows as { last: number }[])[0]!.last);
}

/** Both phases against `stack`'s API; writes bench/results/pipeline.{json,md}. */
export async function benchPipeline(stack: Pick<Stack, 'urls' | 'env'>): Promise<PipelineResults> {
  const api = stack.urls.api;
  const env = stack.env;
  const db = await primaryOf(env);
  try {
    // What earlier benches left in the pipeline drains first (bounded), so the phases measure their own events.
    await measure(db, 'earlier work', 0, { offered: 0, non201: 0, seconds: 1 });
    const setUpFrom = await lastOutboxId(db);
    const categories = ((await json(api, 'GET', '/api/categories')) as { items: { id: number }[] }).items;
    const fanOutCategory = categories[0]!.id;
    const quietCategory = categories[categories.length - 1]!.id;
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i += 8)
      customers.push(...(await Promise.all(Array.from({ length: Math.min(8, CUSTOMERS - i) }, () => richCustomer(api, env)))));
    for (let i = 0; i < SUBSCRIBERS; i += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, SUBSCRIBERS - i) }, async () => {
          await json(api, 'PUT', `/api/me/subscriptions/${fanOutCategory}`, undefined, await person(api, 'executor'));
        }),
      );
    }
    // Everything the set-up caused is delivered before measuring.
    await measure(db, 'set-up', setUpFrom, { offered: 0, non201: 0, seconds: 1 });

    const phases: PhaseResult[] = [];
    let after = await lastOutboxId(db);
    let load = await createAtRate(api, customers, fanOutCategory, FANOUT_CREATES_PER_SECOND);
    phases.push(
      await measure(
        db,
        `throughput: ${FANOUT_CREATES_PER_SECOND} creates/s, each mailed to ${SUBSCRIBERS} subscribers + the customer`,
        after,
        load,
      ),
    );
    after = await lastOutboxId(db);
    load = await createAtRate(api, customers, quietCategory, CREATES_PER_SECOND);
    phases.push(
      await measure(db, `lag: ${CREATES_PER_SECOND} creates/s over ${CUSTOMERS} accounts, each mailed to its customer`, after, load),
    );
    for (const p of phases) {
      console.log(
        `pipeline  ${p.scenario}\n  ${p.createsPerSecond} creates/s (non-201 ${p.non201}), ${p.emails} e-mails at ${p.emailsPerSecond}/s, lag p50 ${p.lagMs.p50} ms p95 ${p.lagMs.p95} ms p99 ${p.lagMs.p99} ms max ${p.lagMs.max} ms, undelivered ${p.undelivered}`,
      );
    }
    const results: PipelineResults = {
      when: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end`,
      durationSeconds: SECONDS,
      phases,
    };
    await writeResults(results);
    return results;
  } finally {
    await db.end();
  }
}

async function writeResults(r: PipelineResults): Promise<void> {
  await writeFile(path.join(__dirname, 'results/pipeline.json'), JSON.stringify(r, null, 2) + '\n');
  const rows = r.phases.map(
    (p) =>
      `| ${p.scenario} | ${p.createsPerSecond} | ${p.emails} | ${p.emailsPerSecond} | ${p.lagMs.p50} | ${p.lagMs.p95} | ${p.lagMs.p99} | ${p.lagMs.max} | ${p.non201} | ${p.undelivered} |`,
  );
  await writeFile(
    path.join(__dirname, 'results/pipeline.md'),
    [
      `# Event pipeline ${r.when}`,
      '',
      `${r.machine}. ${r.durationSeconds} s of creates per phase, then until every e-mail was sent. Lag: the event's commit (outbox.created_at) to its e-mail accepted by SMTP (notification_job.sent_at). The machine is shared with other work, so these are floors of what the pipeline does alone.`,
      '',
      '| phase | creates/s | e-mails | e-mails/s | lag p50 ms | p95 | p99 | max | non-201 | undelivered |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  console.log('written bench/results/pipeline.json and bench/results/pipeline.md');
}

async function main(): Promise<void> {
  const dataDir = await runDataDir('bench-pipeline', (line) => console.log(`[stack] ${line}`));
  stopChildrenOnSignals(1);
  const stack = await startStack({
    dataDir,
    freePorts: true,
    log: (line) => console.log(`[stack] ${line}`),
    env: { RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0', BCRYPT_ROUNDS: '4' },
  });
  try {
    await benchPipeline(stack);
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    if (stopSignalled()) return; // a run cut short by a signal fails on its way out; the handler exits
    console.error(err);
    process.exit(1);
  });
}
