// The bare floor the bench measures the product against: node:http, mysql2's callback API and
// memjs doing the same SQL as a create, take, submit and accept — the same ledger transaction,
// outbox row and feed invalidation — with no framework, validation, idempotency or publishing.
// `tsx bench/floor.ts` serves it over HTTP (port on stdout); the bench also calls it in process.
import { createHash, randomInt } from 'node:crypto';
import http from 'node:http';
import memjs from 'memjs';
import mysql, { type Pool, type PoolConnection } from 'mysql2';

export interface FloorReply {
  status: number;
  body: string;
}

export interface Floor {
  create(token: string, body: { title: string; description: string; reward: string; categoryId: number }): Promise<FloorReply>;
  take(token: string, taskId: number): Promise<FloorReply>;
  submit(token: string, taskId: number): Promise<FloorReply>;
  accept(token: string, taskId: number): Promise<FloorReply>;
  me(token: string): Promise<FloorReply>;
  feed(): Promise<FloorReply>;
  close(): Promise<void>;
}

interface TaskRow {
  id: number;
  customerId: number;
  executorId: number | null;
  categoryId: number;
  title: string;
  description: string;
  reward: string;
  assignment: string;
  status: string;
  comment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const TASK_COLUMNS = `id, customer_id AS customerId, executor_id AS executorId, category_id AS categoryId, title, description,
  reward, assignment, status, comment, created_at AS createdAt, updated_at AS updatedAt`;

const cents = (decimal: string) => Math.round(Number(decimal) * 100);
const money = (k: number) => `${Math.floor(k / 100)}.${String(k % 100).padStart(2, '0')}`;

export function createFloor(env: Record<string, string>): Floor {
  const pool = (host: string, port: string): Pool =>
    mysql.createPool({
      host,
      port: Number(port),
      user: env.DB_USER,
      password: env.DB_PASSWORD,
      database: env.DB_NAME ?? 'execorder',
      connectionLimit: 10,
      timezone: 'Z',
      supportBigNumbers: true,
    });
  const primary = pool(env.DB_PRIMARY_HOST!, env.DB_PRIMARY_PORT!);
  const replica = pool(env.DB_REPLICA_HOST!, env.DB_REPLICA_PORT!);
  const cache = memjs.Client.create(env.MEMCACHED_SERVERS, { logger: { log: () => undefined } });

  const q = <T>(on: Pick<PoolConnection, 'query'>, sql: string, params: unknown[] = []) =>
    new Promise<T>((resolve, reject) => on.query(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T))));
  const connection = () =>
    new Promise<PoolConnection>((resolve, reject) => primary.getConnection((err, c) => (err ? reject(err) : resolve(c))));

  async function session(token: string): Promise<{ accountId: number } | null> {
    const rows = await q<{ accountId: number }[]>(primary, 'SELECT account_id AS accountId FROM session WHERE token_hash = ?', [
      createHash('sha256').update(token).digest(),
    ]);
    return rows[0] ?? null;
  }

  async function transaction<T>(work: (c: PoolConnection) => Promise<T>): Promise<T> {
    const c = await connection();
    try {
      await q(c, 'START TRANSACTION');
      const result = await work(c);
      await q(c, 'COMMIT');
      return result;
    } catch (err) {
      await q(c, 'ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async function view(row: TaskRow): Promise<string> {
    const ids = row.executorId ? [row.customerId, row.executorId] : [row.customerId];
    const names = await Promise.all(ids.map(async (id) => (await cache.get(`name:${id}`)).value?.toString() ?? ''));
    return JSON.stringify({
      id: row.id,
      title: row.title,
      description: row.description,
      reward: money(cents(row.reward)),
      category: { id: row.categoryId },
      assignment: row.assignment,
      status: row.status,
      customer: { id: row.customerId, name: names[0] },
      executor: row.executorId ? { id: row.executorId, name: names[1] } : null,
      comment: row.comment,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    });
  }

  const readTask = async (c: PoolConnection, id: number) =>
    (await q<TaskRow[]>(c, `SELECT ${TASK_COLUMNS} FROM task WHERE id = ?`, [id]))[0]!;
  const outbox = (c: PoolConnection, type: string, payload: object) =>
    q(c, 'INSERT INTO outbox (event_type, payload) VALUES (?, ?)', [type, JSON.stringify(payload)]);
  const newFeedVersion = () => cache.set('feed:version', `${Date.now().toString(36)}${randomInt(1e9).toString(36)}`, { expires: 0 });

  /** Locks the task, checks the state and who acts, runs `change`, answers the task. */
  async function step(
    token: string,
    taskId: number,
    from: string,
    who: 'customer' | 'executor' | 'other',
    change: (c: PoolConnection, task: TaskRow, actor: number) => Promise<void>,
  ): Promise<FloorReply> {
    const s = await session(token);
    if (!s) return { status: 401, body: '{}' };
    const row = await transaction(async (c) => {
      const task = (await q<TaskRow[]>(c, `SELECT ${TASK_COLUMNS} FROM task WHERE id = ? FOR UPDATE`, [taskId]))[0];
      const allowed =
        task &&
        (who === 'customer'
          ? task.customerId === s.accountId
          : who === 'executor'
            ? task.executorId === s.accountId
            : task.customerId !== s.accountId);
      if (!task || task.status !== from || !allowed) return null;
      await change(c, task, s.accountId);
      return readTask(c, taskId);
    });
    return row ? { status: 200, body: await view(row) } : { status: 409, body: '{}' };
  }

  return {
    async create(token, body) {
      const s = await session(token);
      if (!s) return { status: 401, body: '{}' };
      const reward = cents(body.reward);
      const row = await transaction(async (c) => {
        const hold = await q<{ affectedRows: number }>(
          c,
          'UPDATE account SET balance = balance - ?, balance_held = balance_held + ? WHERE id = ? AND balance >= ?',
          [money(reward), money(reward), s.accountId, money(reward)],
        );
        if (hold.affectedRows !== 1) return null;
        const task = await q<{ insertId: number }>(
          c,
          "INSERT INTO task (customer_id, category_id, title, description, reward, assignment) VALUES (?, ?, ?, ?, ?, 'first')",
          [s.accountId, body.categoryId, body.title, body.description, money(reward)],
        );
        const movement = await q<{ insertId: number }>(c, "INSERT INTO ledger_movement (kind, task_id) VALUES ('task_hold', ?)", [
          task.insertId,
        ]);
        await q(c, 'INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?', [
          [
            [movement.insertId, s.accountId, 'balance', money(-reward)],
            [movement.insertId, s.accountId, 'balance_held', money(reward)],
          ],
        ]);
        await outbox(c, 'task_created', { taskId: task.insertId });
        return readTask(c, task.insertId);
      });
      if (!row) return { status: 409, body: '{}' };
      await newFeedVersion();
      return { status: 201, body: await view(row) };
    },
    async take(token, taskId) {
      const reply = await step(token, taskId, 'actual', 'other', async (c, _task, executorId) => {
        await q(c, "UPDATE task SET status = 'in_work', executor_id = ? WHERE id = ?", [executorId, taskId]);
        await outbox(c, 'task_taken', { taskId, executorId });
      });
      await newFeedVersion();
      return reply;
    },
    submit: (token, taskId) =>
      step(token, taskId, 'in_work', 'executor', async (c) => {
        await q(c, "UPDATE task SET status = 'review', submitted_at = NOW(3), comment = NULL WHERE id = ?", [taskId]);
        await outbox(c, 'work_submitted', { taskId });
      }),
    accept: (token, taskId) =>
      step(token, taskId, 'review', 'customer', async (c, task) => {
        const reward = cents(task.reward);
        const commission = Math.round(reward / 10);
        const executorId = task.executorId!;
        const customerFirst = task.customerId < executorId;
        const debit = () =>
          q(c, 'UPDATE account SET balance_held = balance_held - ? WHERE id = ? AND balance_held >= ?', [
            money(reward),
            task.customerId,
            money(reward),
          ]);
        const credit = () => q(c, 'UPDATE account SET salary = salary + ? WHERE id = ?', [money(reward - commission), executorId]);
        if (customerFirst) {
          await debit();
          await credit();
        } else {
          await credit();
          await debit();
        }
        await q(c, 'UPDATE platform_account SET commission = commission + ? WHERE id = ?', [money(commission), 1 + randomInt(16)]);
        const movement = await q<{ insertId: number }>(c, "INSERT INTO ledger_movement (kind, task_id) VALUES ('task_payment', ?)", [
          task.id,
        ]);
        await q(c, 'INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?', [
          [
            [movement.insertId, task.customerId, 'balance_held', money(-reward)],
            [movement.insertId, executorId, 'salary', money(reward - commission)],
            [movement.insertId, null, 'commission', money(commission)],
          ],
        ]);
        await q(c, "UPDATE task SET status = 'done', commission = ? WHERE id = ?", [money(commission), task.id]);
        await outbox(c, 'work_accepted', { taskId: task.id, executorId, automatic: false });
      }),
    async me(token) {
      const s = await session(token);
      if (!s) return { status: 401, body: '{}' };
      const [account] = await q<Record<string, unknown>[]>(
        replica,
        'SELECT id, email, fname, sname, phone, balance, balance_held AS balanceHeld, salary, salary_held AS salaryHeld FROM account WHERE id = ?',
        [s.accountId],
      );
      return { status: 200, body: JSON.stringify(account) };
    },
    async feed() {
      const version = (await cache.get('feed:version')).value?.toString();
      const page = version ? (await cache.get(`feed:${version}:all:20`)).value : null;
      if (page) return { status: 200, body: page.toString() };
      const rows = await q<TaskRow[]>(primary, `SELECT ${TASK_COLUMNS} FROM task WHERE status = 'actual' ORDER BY id DESC LIMIT 21`);
      const body = JSON.stringify({ items: rows.slice(0, 20), nextCursor: null });
      if (version) await cache.set(`feed:${version}:all:20`, body, { expires: 60 });
      return { status: 200, body };
    },
    async close() {
      cache.close();
      await Promise.all([primary, replica].map((p) => new Promise((resolve) => p.end(resolve))));
    },
  };
}

/** The floor over node:http: the same routes as the product's for the bench's scenarios. */
export function serveFloor(floor: Floor, port = 0): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const url = req.url ?? '';
      const action = /^\/api\/tasks\/(\d+)\/(take|submit|accept)$/.exec(url);
      const reply =
        req.method === 'POST' && url === '/api/tasks'
          ? floor.create(token, JSON.parse(Buffer.concat(chunks).toString() || '{}'))
          : req.method === 'POST' && action
            ? floor[action[2] as 'take' | 'submit' | 'accept'](token, Number(action[1]))
            : req.method === 'GET' && url === '/api/me'
              ? floor.me(token)
              : req.method === 'GET' && url.startsWith('/api/tasks')
                ? floor.feed()
                : Promise.resolve({ status: 404, body: '{}' });
      reply.then(
        (r) => res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8' }).end(r.body),
        (err: Error) => res.writeHead(500).end(JSON.stringify({ error: err.message })),
      );
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (require.main === module) {
  const floor = createFloor(process.env as Record<string, string>);
  void serveFloor(floor).then((server) => {
    const address = server.address();
    console.log(`floor listening on ${typeof address === 'object' && address ? address.port : '?'}`);
  });
}
