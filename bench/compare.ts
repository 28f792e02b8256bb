// The product beside the floor (bench/floor.ts), measured in the same run on the same stack:
// handler CPU per request and cycles/s with the handlers called in this process, statements
// per create from the primary's `Questions` counter, and creates/s through HTTP.
import autocannon from 'autocannon';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import mysqlCore from 'mysql2';
import type { ResultSetHeader } from 'mysql2/promise';
import { primaryOf } from './db';
import { createFloor, type Floor, type FloorReply } from './floor';

export interface Person {
  id: number;
  token: string;
}
export interface Pair {
  customer: Person;
  executor: Person;
}

const CREATE_BODY = { title: 'Bench', description: 'load', reward: '1.00', categoryId: 1 };

/**
 * Customers (with money for every create) and executors, written straight into the database:
 * 200 registrations and top-ups over HTTP would cost the bench a minute and measure nothing.
 * The money enters as a received payment with its ledger movement, so the books still balance.
 */
export async function seedPairs(env: Record<string, string>, count: number): Promise<Pair[]> {
  const db = await primaryOf(env);
  const person = async (role: 'customer' | 'executor', balance: string): Promise<Person> => {
    const [account] = await db.query<ResultSetHeader>(
      "INSERT INTO account (email, password_hash, fname, sname, phone, balance) VALUES (?, 'x', 'Bench', 'Person', '+70000000000', ?)",
      [`bench-${randomUUID()}@bench.local`, balance],
    );
    const token = randomBytes(32).toString('base64url');
    await db.query("INSERT INTO session (account_id, role, token_hash, ip, user_agent) VALUES (?, ?, ?, '127.0.0.1', 'bench')", [
      account.insertId,
      role,
      createHash('sha256').update(token).digest(),
    ]);
    if (balance !== '0.00') {
      const [payment] = await db.query<ResultSetHeader>(
        "INSERT INTO payment (account_id, amount, status, ip) VALUES (?, ?, 'received', '127.0.0.1')",
        [account.insertId, balance],
      );
      const [movement] = await db.query<ResultSetHeader>("INSERT INTO ledger_movement (kind, payment_id) VALUES ('topup', ?)", [
        payment.insertId,
      ]);
      await db.query('INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?', [
        [
          [movement.insertId, null, 'external', `-${balance}`],
          [movement.insertId, account.insertId, 'balance', balance],
        ],
      ]);
    }
    return { id: account.insertId, token };
  };
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i++)
    pairs.push({ customer: await person('customer', '999999.00'), executor: await person('executor', '0.00') });
  await db.end();
  return pairs;
}

type Handler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyResultV2>;
type Step = 'create' | 'take' | 'submit' | 'accept';
type Read = 'me' | 'feed';
type Actor = (step: Step | Read, token: string, taskId: number) => Promise<{ status: number; body: string }>;

function event(method: string, route: string, rawPath: string, token: string, body?: string, id?: number): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath,
    rawQueryString: '',
    isBase64Encoded: false,
    body,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'bench' },
    pathParameters: id === undefined ? undefined : { id: String(id) },
    requestContext: {
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey: `${method} ${route}`,
      stage: '$default',
      timeEpoch: Date.now(),
    },
  } as unknown as APIGatewayProxyEventV2;
}

/** The product's Lambda handlers, called as serverless-offline calls them, in this process. */
async function productActor(env: Record<string, string>): Promise<Actor> {
  Object.assign(process.env, env);
  // The bench may have loaded the config module already, parsed from its own environment: the
  // handlers must talk to this stack, never to the default ports another stack may be using.
  const { config, parseConfig } = await import('../shared/config');
  Object.assign(config, parseConfig(process.env));
  const load = async (file: string) => ((await import(path.join(__dirname, '../functions/tasks', file))) as { handler: Handler }).handler;
  const handlers = {
    create: await load('create.ts'),
    take: await load('take.ts'),
    submit: await load('submit.ts'),
    accept: await load('accept.ts'),
    feed: await load('feed.ts'),
    me: await load('../me/get.ts'),
  };
  return async (step, token, taskId) => {
    // A context per invocation, as Lambda gives: the pipeline keeps the request's state on it.
    const context = {
      getRemainingTimeInMillis: () => 10_000,
      functionName: 'bench',
      awsRequestId: randomUUID(),
      callbackWaitsForEmptyEventLoop: false,
    };
    const e =
      step === 'create'
        ? event('POST', '/api/tasks', '/api/tasks', token, JSON.stringify(CREATE_BODY))
        : step === 'me'
          ? event('GET', '/api/me', '/api/me', token)
          : step === 'feed'
            ? event('GET', '/api/tasks', '/api/tasks', '')
            : event('POST', `/api/tasks/{id}/${step}`, `/api/tasks/${taskId}/${step}`, token, undefined, taskId);
    const r = (await handlers[step](e, context)) as { statusCode: number; body: string };
    return { status: r.statusCode, body: r.body };
  };
}

/**
 * The product without its HTTP pipeline (middy, zod, the deadline race, the request id, the
 * statistics, the answer's headers): the session lookup and the domain call a handler makes, the
 * answer as JSON, nothing else. It tells how much of a request's cost is the domain code and how
 * much the pipeline around it.
 */
async function domainActor(): Promise<Actor> {
  const { RequestDb } = await import('../shared/db/request-db');
  const { sessionByToken } = await import('../shared/accounts/sessions');
  const { guessWindow } = await import('../shared/accounts/auth-failures');
  const { me } = await import('../shared/accounts/accounts');
  const { feed } = await import('../shared/tasks/queries');
  const { createTask } = await import('../shared/tasks/create');
  const { takeTask, submitWork, acceptWork } = await import('../shared/tasks/transitions');
  const { CreateTaskBody, FeedQuery } = await import('../shared/tasks/schemas');
  const firstPage = FeedQuery.parse({});
  const newTask = CreateTaskBody.parse(CREATE_BODY);
  return async (step, token, taskId) => {
    const db = new RequestDb();
    if (step === 'feed') return { status: 200, body: (await feed(db, firstPage)).text };
    const { session } = await sessionByToken(db, token, guessWindow('127.0.0.1'));
    if (!session) return { status: 401, body: '' };
    db.actFor(session);
    const answer =
      step === 'me'
        ? await me(db, session)
        : step === 'create'
          ? await createTask(db, session, newTask)
          : step === 'take'
            ? await takeTask(db, taskId, session)
            : step === 'submit'
              ? await submitWork(db, taskId, session, undefined)
              : await acceptWork(db, taskId, session);
    return { status: step === 'create' ? 201 : 200, body: JSON.stringify(answer) };
  };
}

function floorActor(floor: Floor): Actor {
  return (step, token, taskId): Promise<FloorReply> =>
    step === 'create'
      ? floor.create(token, CREATE_BODY)
      : step === 'me'
        ? floor.me(token)
        : step === 'feed'
          ? floor.feed()
          : floor[step](token, taskId);
}

export interface CpuResult {
  create: number;
  take: number;
  submit: number;
  accept: number;
  cycle: number;
}

const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** Handler CPU per step, one request at a time (so that no other request's CPU is counted), mean over `cycles`. */
async function cpuPerStep(actor: Actor, pairs: Pair[], cycles: number): Promise<CpuResult> {
  const total = { create: 0, take: 0, submit: 0, accept: 0 };
  for (let i = 0; i < cycles; i++) {
    const { customer, executor } = pairs[i % pairs.length]!;
    let taskId = 0;
    for (const step of ['create', 'take', 'submit', 'accept'] as const) {
      const start = process.cpuUsage();
      const r = await actor(step, step === 'take' || step === 'submit' ? executor.token : customer.token, taskId);
      total[step] += cpuMs(start);
      if (r.status >= 300) throw new Error(`${step}: ${r.status} ${r.body}`);
      if (step === 'create') taskId = (JSON.parse(r.body) as { id: number }).id;
    }
  }
  const per = (n: number) => n / cycles;
  return {
    create: per(total.create),
    take: per(total.take),
    submit: per(total.submit),
    accept: per(total.accept),
    cycle: per(total.create + total.take + total.submit + total.accept),
  };
}

const STEP_WARM_UP = 100;
const READ_WARM_UP = 1000;
const READS = 2000;
/** Blocks each measure takes, the product's, the floor's (and the domain call's) in turn. */
const ROUNDS = 10;
const perRound = (count: number) => Math.max(1, Math.round(count / ROUNDS));

/**
 * `rounds` blocks of each, one after the other in turn, the order rotating each round: measured
 * alike, two blocks of the same code cost 7–11 % less in second place than in first (the
 * sessions' activity update, once a minute, falls on whichever uses them first).
 */
async function interleaved<K extends string, T>(rounds: number, runs: Record<K, () => Promise<T>>): Promise<Record<K, T[]>> {
  const names = Object.keys(runs) as K[];
  const results = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<K, T[]>;
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      results[name].push(await runs[name]());
    }
  }
  return results;
}

const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The mean of each field over the blocks. */
function mean<T extends object>(blocks: T[]): T {
  const keys = Object.keys(blocks[0]!) as (keyof T)[];
  return Object.fromEntries(keys.map((k) => [k, blocks.reduce((sum, b) => sum + (b[k] as number), 0) / blocks.length])) as T;
}

/** Handler CPU per read (a cached feed page, /api/me), one request at a time, mean over `count`. */
async function cpuPerRead(actor: Actor, pairs: Pair[], count: number): Promise<Record<Read, number>> {
  const total = { me: 0, feed: 0 };
  for (let i = 0; i < count; i++) {
    for (const read of ['me', 'feed'] as const) {
      const start = process.cpuUsage();
      const r = await actor(read, pairs[i % pairs.length]!.customer.token, 0);
      total[read] += cpuMs(start);
      if (r.status !== 200) throw new Error(`${read}: ${r.status} ${r.body}`);
    }
  }
  return { me: total.me / count, feed: total.feed / count };
}

/** Whole cycles per second with `workers` pairs at once, each cycling on its own accounts. */
async function cyclesPerSecond(actor: Actor, pairs: Pair[], workers: number, seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    pairs.slice(0, workers).map(async ({ customer, executor }) => {
      while (Date.now() < until) {
        const created = await actor('create', customer.token, 0);
        const taskId = (JSON.parse(created.body) as { id: number }).id;
        await actor('take', executor.token, taskId);
        await actor('submit', executor.token, taskId);
        const accepted = await actor('accept', customer.token, taskId);
        if (accepted.status === 200) done++;
      }
    }),
  );
  return done / seconds;
}

/**
 * Statements sent per create, counted where every statement of this process goes through:
 * mysql2's Connection.query (the promise API and pools call it too). The primary's global
 * `Questions` would also count the API process's event consumer, which the floor does not have.
 * While `recorded` is set, their texts are kept too.
 */
let statementsSent = 0;
let recorded: string[] | undefined;
const connectionClass = (mysqlCore as unknown as { Connection: { prototype: { query: (...args: unknown[]) => unknown } } }).Connection;
const originalQuery = connectionClass.prototype.query;
connectionClass.prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
  statementsSent++;
  const sql = typeof args[0] === 'string' ? args[0] : (args[0] as { sql?: string } | undefined)?.sql;
  recorded?.push(String(sql).replace(/\s+/g, ' ').trim());
  return originalQuery.apply(this, args);
};

const settle = () => new Promise((r) => setTimeout(r, 300));

async function statementsPerCreate(actor: Actor, pairs: Pair[], count: number): Promise<number> {
  // Let after-commit work of earlier requests settle first.
  await settle();
  const before = statementsSent;
  for (let i = 0; i < count; i++) await actor('create', pairs[i % pairs.length]!.customer.token, 0);
  await settle();
  return (statementsSent - before) / count;
}

/**
 * Left out of the comparison of texts: the product's statistics (one INSERT a second, which the
 * floor has no part of), and session activity, which both send at most once a minute per session,
 * so that whichever of the two runs first sends it for the pair's sessions.
 */
const BOOKKEEPING = /^(INSERT INTO request_stat_bucket|UPDATE session SET last_active_at)/;

/**
 * The texts of the statements of one whole cycle and a `/api/me`, in order. (Not a feed page: the
 * cycle has just invalidated it, and the two fill their caches each its own way, which the
 * measured reads, all cache hits, never do.)
 */
async function statementsOfCycle(actor: Actor, pair: Pair): Promise<string[]> {
  await settle();
  recorded = [];
  try {
    await cpuPerStep(actor, [pair], 1);
    await actor('me', pair.customer.token, 0);
    await settle();
    return recorded.filter((sql) => !BOOKKEEPING.test(sql));
  } finally {
    recorded = undefined;
  }
}

/** The floor is only a floor if it sends what the product sends (and the domain call alone, too): otherwise the ratios compare different work. */
async function checkSameStatements(product: Actor, others: Record<string, Actor>, pair: Pair): Promise<number> {
  const ours = await statementsOfCycle(product, pair);
  for (const [name, other] of Object.entries(others)) {
    const its = await statementsOfCycle(other, pair);
    const differ = ours.findIndex((sql, i) => sql !== its[i]);
    if (differ >= 0 || ours.length !== its.length) {
      const at = differ >= 0 ? differ : Math.min(ours.length, its.length);
      throw new Error(`the ${name}'s statement ${at + 1} differs from the product's:\nproduct: ${ours[at]}\n${name}: ${its[at]}`);
    }
  }
  return ours.length;
}

export interface InProcessResult {
  product: CpuResult;
  floor: CpuResult;
  /** The product's session lookup and domain call alone, without its HTTP pipeline (domainActor). */
  domain: CpuResult;
  reads: { product: Record<Read, number>; floor: Record<Read, number>; domain: Record<Read, number> };
  statements: { product: number; floor: number };
  /** Statements of a whole cycle and a `/api/me`, the same texts in the same order for both. */
  sameStatements: number;
  cyclesPerSecond: { product: number; floor: number };
}

interface CompareOptions {
  cycles: number;
  seconds: number;
  workers: number;
}

async function compareHere(env: Record<string, string>, pairs: Pair[], opts: CompareOptions): Promise<InProcessResult> {
  const product = await productActor(env);
  const floorDb = createFloor(env);
  const floor = floorActor(floorDb);
  try {
    const domain = await domainActor();
    // Warm-up: modules, pools, name cache, and V8's optimised code (see the reads below).
    for (const actor of [product, floor, domain]) await cpuPerStep(actor, pairs, STEP_WARM_UP);
    // With the pools open: a new connection's session settings are no part of a request.
    const sameStatements = await checkSameStatements(product, { floor, 'domain call alone': domain }, pairs[0]!);
    // Alternating blocks, so that a change in the machine's other load (the event consumer, the
    // databases, another process) falls on both alike.
    const cpu = await interleaved(ROUNDS, {
      product: () => cpuPerStep(product, pairs, perRound(opts.cycles)),
      floor: () => cpuPerStep(floor, pairs, perRound(opts.cycles)),
      domain: () => cpuPerStep(domain, pairs, perRound(opts.cycles)),
    });
    const statements = { product: await statementsPerCreate(product, pairs, 40), floor: await statementsPerCreate(floor, pairs, 40) };
    // Warm, as a container serving traffic is: V8 compiles a function's optimised code after some
    // hundreds of calls, and the product runs far more code of its own per read than the floor, so
    // a short warm-up measured it mostly interpreted.
    for (const actor of [product, floor, domain]) await cpuPerRead(actor, pairs, READ_WARM_UP);
    const reads = await interleaved(ROUNDS, {
      product: () => cpuPerRead(product, pairs, perRound(READS)),
      floor: () => cpuPerRead(floor, pairs, perRound(READS)),
      domain: () => cpuPerRead(domain, pairs, perRound(READS)),
    });
    // A second at a time each, in turn.
    const cycles = await interleaved(Math.max(1, Math.round(opts.seconds)), {
      product: () => cyclesPerSecond(product, pairs, opts.workers, 1),
      floor: () => cyclesPerSecond(floor, pairs, opts.workers, 1),
    });
    return {
      product: mean(cpu.product),
      floor: mean(cpu.floor),
      domain: mean(cpu.domain),
      reads: { product: mean(reads.product), floor: mean(reads.floor), domain: mean(reads.domain) },
      statements,
      sameStatements,
      cyclesPerSecond: { product: average(cycles.product), floor: average(cycles.floor) },
    };
  } finally {
    await floorDb.close();
  }
}

/**
 * Runs the comparison in a process of its own: the bench process also hosts the launcher's SQS
 * emulator and relay, whose CPU would otherwise be counted as the product's.
 */
export async function compareInProcess(env: Record<string, string>, pairs: Pair[], opts: CompareOptions): Promise<InProcessResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, BENCH_COMPARE: JSON.stringify({ env, pairs, opts }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`the in-process comparison failed (exit ${code}):\n${output}`);
  return JSON.parse(line.slice('RESULT '.length)) as InProcessResult;
}

if (require.main === module && process.env.BENCH_COMPARE) {
  const { env, pairs, opts } = JSON.parse(process.env.BENCH_COMPARE) as {
    env: Record<string, string>;
    pairs: Pair[];
    opts: CompareOptions;
  };
  compareHere(env, pairs, opts).then(
    (result) => {
      console.log(`RESULT ${JSON.stringify(result)}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** The floor over node:http in a process of its own, like the API. */
export async function startFloorServer(env: Record<string, string>): Promise<{ url: string; pid: number; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'floor.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /floor listening on (\d+)/.exec(chunk.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`the floor exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

/** Creates through HTTP, spread over every customer (one account's creates queue on its row lock, on purpose). */
export async function createsPerSecond(base: string, pairs: Pair[], connections: number, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/tasks',
        body: JSON.stringify(CREATE_BODY),
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${pairs[next++ % pairs.length]!.customer.token}` },
        }),
      },
    ],
  });
}
