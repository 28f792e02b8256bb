// The bare floor the bench measures the product against: node:http, mysql2's callback API and
// memjs sending the product's statements of a create, take, submit and accept, of /api/me and the
// cached feed page — the same session lookup, ledger transaction, history and outbox rows, task
// answer, session write mark and feed invalidation — with no framework, validation, idempotency
// or publishing.
// `tsx bench/floor.ts` serves it over HTTP (port on stdout); the bench also calls it in process.
import { createHash, randomInt } from 'node:crypto';
import http from 'node:http';
import memjs from 'memjs';
import mysql, { type Pool, type PoolConnection } from 'mysql2';
import { ACTIVITY_SQL } from '../shared/accounts/sessions';
import { TASK_ANSWER_SQL, TASK_COLUMNS, type TaskRow } from '../shared/tasks/view';

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

/** A line of the task answer: the task, and one step of its history (nulls for none). */
interface AnswerLine extends TaskRow {
  customerName: string;
  executorName: string | null;
  customerReviews: number | null;
  customerRatingSum: number | null;
  stepId: number | null;
  stepAt: string;
  stepActorId: number | null;
  stepActorName: string | null;
  stepAction: string;
  stepComment: string | null;
  dispute: Record<string, unknown> | null;
}

// The product's statements, word for word, so that the ratio measures the product's own code, not
// a difference in the SQL: its task columns and its task answer (the one statement an action reads
// last, with the names, the rating, the history and the dispute) are taken from it; the rest is
// written out here, as short as they are.
const SESSION_SQL = `SELECT s.id, s.account_id AS accountId, s.role, s.last_active_at < NOW(3) - INTERVAL 1 MINUTE AS stale,
    s.wrote_at > NOW(3) - INTERVAL 5 SECOND AS wroteRecently, a.blocked_reason AS blockedReason, a.blocked_at AS blockedAt, g.failures
  FROM (SELECT 1 AS one) always
  LEFT JOIN session s ON s.token_hash = ? AND s.last_active_at > NOW(3) - INTERVAL 30 DAY
  LEFT JOIN account a ON a.id = s.account_id
  LEFT JOIN auth_failure g ON g.ip = ? AND g.minute = ?`;
const ME_SQL = `SELECT id, email, fname, sname, phone, balance, balance_held AS balanceHeld, salary, salary_held AS salaryHeld,
    (SELECT COUNT(DISTINCT c.kind) FROM consent c JOIN legal_version v ON v.kind = c.kind AND v.version = c.version
      WHERE c.account_id = account.id
        AND v.published_at = (SELECT MAX(w.published_at) FROM legal_version w WHERE w.kind = v.kind AND w.published_at <= NOW(3))) AS consents
  FROM account WHERE id = ?`;
const MOVEMENT_SQL = 'INSERT INTO ledger_movement (kind, task_id, payment_id, payout_id) VALUES (?, ?, ?, ?)';
const HISTORY_SQL = 'INSERT INTO task_history (task_id, actor_id, action, comment) VALUES (?, ?, ?, ?)';
/** The ceiling the product's conditional updates hold a bucket under (DECIMAL(12,2)). */
const CEILING = '9999999999.99';
const COMMISSION_CEILING = '999999999999.99';

const cents = (decimal: string) => Math.round(Number(decimal) * 100);
const money = (k: number) => `${k < 0 ? '-' : ''}${Math.floor(Math.abs(k) / 100)}.${String(Math.abs(k) % 100).padStart(2, '0')}`;
const rating = (sum: number, reviews: number) => {
  if (reviews === 0) return null;
  const hundredths = Math.floor((sum * 200 + reviews) / (2 * reviews));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
};

interface FloorSession {
  id: number;
  accountId: number;
}

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

  async function session(token: string): Promise<FloorSession | null> {
    const rows = await q<{ id: number | null; accountId: number; stale: number }[]>(primary, SESSION_SQL, [
      createHash('sha256').update(token).digest(),
      '127.0.0.1',
      Math.floor(Date.now() / 60_000),
    ]);
    const row = rows[0];
    if (!row?.id) return null;
    // Activity, at most once a minute, not awaited: as the product records it.
    if (Number(row.stale) === 1) q(primary, ACTIVITY_SQL, [row.id]).catch(() => undefined);
    return { id: row.id, accountId: row.accountId };
  }

  /** The work, the session's write mark and the commit, as the product's write transaction. */
  async function transaction<T>(s: FloorSession, work: (c: PoolConnection) => Promise<T>): Promise<T> {
    const c = await connection();
    try {
      await q(c, 'START TRANSACTION');
      const result = await work(c);
      await q(c, 'UPDATE session SET wrote_at = NOW(3) WHERE id = ?', [s.id]);
      await q(c, 'COMMIT');
      return result;
    } catch (err) {
      await q(c, 'ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  function answer(lines: AnswerLine[]): string {
    const row = lines[0]!;
    return JSON.stringify({
      id: row.id,
      title: row.title,
      description: row.description,
      reward: money(cents(row.reward)),
      days: row.days,
      dueAt: row.dueAt ? row.dueAt.toISOString() : null,
      overdue: row.status === 'in_work' && row.dueAt !== null && Date.now() > row.dueAt.getTime(),
      rejections: row.rejections,
      category: { id: row.categoryId },
      assignment: row.assignment,
      status: row.status,
      customer: {
        id: row.customerId,
        name: row.customerName,
        rating: rating(row.customerRatingSum ?? 0, row.customerReviews ?? 0),
        reviews: row.customerReviews ?? 0,
      },
      executor: row.executorId ? { id: row.executorId, name: row.executorName } : null,
      comment: row.comment,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      history: lines
        .filter((h) => h.stepId !== null)
        .sort((a, b) => a.stepId! - b.stepId!)
        .map((h) => ({
          at: h.stepAt,
          by: h.stepActorId ? { id: h.stepActorId, name: h.stepActorName } : null,
          action: h.stepAction,
          comment: h.stepComment,
        })),
      dispute: row.dispute,
    });
  }

  const readAnswer = (c: PoolConnection, id: number) => q<AnswerLine[]>(c, TASK_ANSWER_SQL, [id]);
  const outbox = (c: PoolConnection, type: string, payload: object) =>
    q(c, 'INSERT INTO outbox (event_type, payload) VALUES (?, ?)', [type, JSON.stringify(payload)]);
  const history = (c: PoolConnection, taskId: number, actorId: number, action: string, comment: string | null = null) =>
    q<{ insertId: number }>(c, HISTORY_SQL, [taskId, actorId, action, comment]);
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
    const row = await transaction(s, async (c) => {
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
      return readAnswer(c, taskId);
    });
    return row ? { status: 200, body: answer(row) } : { status: 409, body: '{}' };
  }

  return {
    async create(token, body) {
      const s = await session(token);
      if (!s) return { status: 401, body: '{}' };
      const reward = cents(body.reward);
      const row = await transaction(s, async (c) => {
        const hold = await q<{ affectedRows: number }>(
          c,
          'UPDATE account SET balance = balance + ?, balance_held = balance_held + ? WHERE id = ? AND balance + ? >= 0 AND balance_held + ? <= ?',
          [money(-reward), money(reward), s.accountId, money(-reward), money(reward), CEILING],
        );
        if (hold.affectedRows !== 1) return null;
        const task = await q<{ insertId: number }>(
          c,
          'INSERT INTO task (customer_id, category_id, title, description, reward, days, assignment) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [s.accountId, body.categoryId, body.title, body.description, money(reward), null, 'first'],
        );
        const movement = await q<{ insertId: number }>(c, MOVEMENT_SQL, ['task_hold', task.insertId, null, null]);
        await q(c, 'INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?', [
          [
            [movement.insertId, s.accountId, 'balance', money(-reward)],
            [movement.insertId, s.accountId, 'balance_held', money(reward)],
          ],
        ]);
        await outbox(c, 'task_created', { taskId: task.insertId });
        return readAnswer(c, task.insertId);
      });
      if (!row) return { status: 409, body: '{}' };
      await newFeedVersion();
      return { status: 201, body: answer(row) };
    },
    async take(token, taskId) {
      const reply = await step(token, taskId, 'actual', 'other', async (c, _task, executorId) => {
        await q(c, "UPDATE task SET status = 'in_work', executor_id = ?, due_at = NOW(3) + INTERVAL days DAY WHERE id = ?", [
          executorId,
          taskId,
        ]);
        await history(c, taskId, executorId, 'take');
        await outbox(c, 'task_taken', { taskId, executorId });
      });
      await newFeedVersion();
      return reply;
    },
    submit: (token, taskId) =>
      step(token, taskId, 'in_work', 'executor', async (c, _task, executorId) => {
        await q(c, "UPDATE task SET status = 'review', submitted_at = NOW(3), comment = ? WHERE id = ?", [null, taskId]);
        const step = await history(c, taskId, executorId, 'submit');
        await outbox(c, 'work_submitted', { taskId, historyId: step.insertId, comment: null });
      }),
    accept: (token, taskId) =>
      step(token, taskId, 'review', 'customer', async (c, task, customerId) => {
        const reward = cents(task.reward);
        const commission = Math.round(reward / 10);
        const executorId = task.executorId!;
        const debit = () =>
          q(c, 'UPDATE account SET balance_held = balance_held + ? WHERE id = ? AND balance_held + ? >= 0', [
            money(-reward),
            task.customerId,
            money(-reward),
          ]);
        const credit = () =>
          q(c, 'UPDATE account SET salary = salary + ? WHERE id = ? AND salary + ? <= ?', [
            money(reward - commission),
            executorId,
            money(reward - commission),
            CEILING,
          ]);
        // Accounts in id order, as the product locks them.
        if (task.customerId < executorId) {
          await debit();
          await credit();
        } else {
          await credit();
          await debit();
        }
        await q(c, 'UPDATE platform_account SET commission = commission + ? WHERE id = ? AND commission + ? BETWEEN 0 AND ?', [
          money(commission),
          1 + randomInt(16),
          money(commission),
          COMMISSION_CEILING,
        ]);
        const movement = await q<{ insertId: number }>(c, MOVEMENT_SQL, ['task_payment', task.id, null, null]);
        await q(c, 'INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?', [
          [
            [movement.insertId, task.customerId, 'balance_held', money(-reward)],
            [movement.insertId, executorId, 'salary', money(reward - commission)],
            [movement.insertId, null, 'commission', money(commission)],
          ],
        ]);
        await q(c, "UPDATE task SET status = 'done', commission = ? WHERE id = ?", [money(commission), task.id]);
        await outbox(c, 'work_accepted', { taskId: task.id, executorId, automatic: false });
        await history(c, task.id, customerId, 'accept');
      }),
    async me(token) {
      const s = await session(token);
      if (!s) return { status: 401, body: '{}' };
      const [account] = await q<Record<string, unknown>[]>(replica, ME_SQL, [s.accountId]);
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
