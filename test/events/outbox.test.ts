// An event exists exactly when the change that causes it does: the outbox row is written in the
// change's transaction, and published only after that transaction has committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, eventually, query } from '../helpers/db';
import { stack } from '../helpers/http';
import { expectMoney, topUp } from '../helpers/money';
import { theMail } from '../helpers/notifications';
import { register } from '../helpers/users';

describe('through the API', () => {
  it('keeps neither the new task nor its hold when writing its event fails', async () => {
    const customer = await register('customer');
    await topUp(customer, '200.00');
    await expectMoney(customer, { balance: '200.00', balanceHeld: '0.00' });
    const [{ last }] = await query('primary', 'SELECT COALESCE(MAX(id), 0) AS last FROM outbox');
    // The task row and the money move are written, then the outbox insert fails: a fault no input can cause.
    await query('primary', 'RENAME TABLE outbox TO outbox_away');
    let res;
    try {
      res = await customer.post('/api/tasks', { title: 'Не сохранится', description: 'x', reward: '150.00', categoryId: 1 });
    } finally {
      await query('primary', 'RENAME TABLE outbox_away TO outbox');
    }
    expect(res.status).toBe(500);
    expect(await query('primary', 'SELECT id FROM task WHERE customer_id = ?', [customer.id])).toEqual([]);
    await expectMoney(customer, { balance: '200.00', balanceHeld: '0.00' });
    expect(await query('primary', "SELECT id FROM outbox WHERE id > ? AND event_type = 'task_created'", [last])).toEqual([]);
  });
});

describe('in a transaction of the domain code', () => {
  // The product's own modules, configured for the test stack's servers.
  let mods: {
    RequestDb: typeof import('../../shared/db/request-db').RequestDb;
    enqueue: typeof import('../../shared/events/outbox').enqueue;
    dbNodes: typeof import('../../shared/db/nodes').dbNodes;
    claimUnpublished: typeof import('../../shared/events/publisher').claimUnpublished;
    expandEvent: typeof import('../../shared/notifications/expand').expandEvent;
  };

  beforeAll(async () => {
    // The SDK reads the queue's endpoint from the environment; the config module may have been
    // loaded by a helper already, so it is pointed at the stack's servers by hand.
    Object.assign(process.env, stack.env);
    const { config, parseConfig } = await import('../../shared/config');
    Object.assign(config, parseConfig(stack.env));
    mods = {
      RequestDb: (await import('../../shared/db/request-db')).RequestDb,
      enqueue: (await import('../../shared/events/outbox')).enqueue,
      dbNodes: (await import('../../shared/db/nodes')).dbNodes,
      claimUnpublished: (await import('../../shared/events/publisher')).claimUnpublished,
      expandEvent: (await import('../../shared/notifications/expand')).expandEvent,
    };
  });

  afterAll(async () => {
    if (!mods) return;
    const { primary, replica } = mods.dbNodes();
    await Promise.all([primary.pool.end(), replica.pool.end()]);
  });

  const eventsOf = (accountId: number) =>
    query(
      'primary',
      "SELECT id, published_at AS publishedAt FROM outbox WHERE event_type = 'password_reset_requested' AND JSON_VALUE(payload, '$.accountId') = ?",
      [String(accountId)],
    );

  it('rolls the change and its event back together when the transaction aborts after both', async () => {
    const person = await register('customer');
    const db = new mods.RequestDb();
    await expect(
      db.transaction(async (tx) => {
        await tx.exec("UPDATE account SET fname = 'Изменено' WHERE id = ?", [person.id]);
        await mods.enqueue(tx, { type: 'password_reset_requested', accountId: person.id });
        expect(await tx.rows("SELECT id FROM outbox WHERE JSON_VALUE(payload, '$.accountId') = ?", [String(person.id)])).toHaveLength(1);
        throw new Error('aborted after the change and its event');
      }),
    ).rejects.toThrow('aborted');
    expect(await query('primary', 'SELECT fname FROM account WHERE id = ?', [person.id])).toEqual([{ fname: 'Иван' }]);
    expect(await eventsOf(person.id)).toEqual([]);
  });

  it('commits them together, and publishes the event once committed', async () => {
    const person = await register('customer');
    const db = new mods.RequestDb();
    await db.transaction(async (tx) => {
      await tx.exec("UPDATE account SET fname = 'Изменено' WHERE id = ?", [person.id]);
      await mods.enqueue(tx, { type: 'password_reset_requested', accountId: person.id });
      // Nobody outside sees it (or publishes it) before the commit.
      expect(await eventsOf(person.id)).toEqual([]);
    });
    expect(await query('primary', 'SELECT fname FROM account WHERE id = ?', [person.id])).toEqual([{ fname: 'Изменено' }]);
    // Published after the commit; the transaction waits for that at most PUBLISH_TIMEOUT_MS, and a
    // send still under way then goes on by itself.
    await eventually(async () => expect((await eventsOf(person.id))[0]?.publishedAt).not.toBeNull());
    await theMail(person.email, 'Восстановление пароля');
  });

  // The pipeline's transactions beside the requests' (shared/db/request-db.ts, TransactionOptions).
  // Each lock wait below would end in the 5 s innodb_lock_wait_timeout of the product's connections,
  // or the test's own 1 s one, and fail the test.
  it("the outbox relay's claim skips a create's row in flight, and no new row waits for the claim", async () => {
    const inFlight = await connect('primary');
    const beside = await connect('primary');
    try {
      await beside.query('SET SESSION innodb_lock_wait_timeout = 1');
      // A create's transaction, its outbox row written, not committed yet. (No recipient: nothing to send.)
      await inFlight.query('START TRANSACTION');
      await inFlight.query("INSERT INTO outbox (event_type, payload) VALUES ('password_reset_requested', JSON_OBJECT('accountId', NULL))");
      const [[{ id: inFlightId }]] = (await inFlight.query('SELECT LAST_INSERT_ID() AS id')) as unknown as [[{ id: number }]];
      let besideId = 0;
      const claimed = await new mods.RequestDb().transaction(
        async (tx) => {
          const ids = await mods.claimUnpublished(tx);
          // The claim's transaction still open: another create's outbox row goes in at once.
          const [res] = (await beside.query(
            "INSERT INTO outbox (event_type, payload) VALUES ('password_reset_requested', JSON_OBJECT('accountId', NULL))",
          )) as unknown as [{ insertId: number }];
          besideId = res.insertId;
          return ids;
        },
        { readCommitted: true },
      );
      expect(claimed).not.toContain(Number(inFlightId));
      expect(claimed).not.toContain(besideId);
      // What the test claimed from the running stack goes back to its relay, as after a failed send.
      if (claimed.length > 0)
        await query('primary', 'UPDATE outbox SET published_at = NULL WHERE id IN (?) AND processed_at IS NULL', [claimed]);
    } finally {
      await inFlight.query('ROLLBACK');
      await Promise.all([inFlight.end(), beside.end()]);
    }
  });

  it("an event's expansion reads its recipient while the recipient's money transaction holds the account row", async () => {
    const person = await register('customer');
    const money = await connect('primary');
    let outboxId = 0;
    try {
      // Published already, so that the stack's relay leaves it to this test (the reconciler only after minutes).
      const [res] = (await money.query(
        "INSERT INTO outbox (event_type, payload, published_at) VALUES ('password_reset_requested', JSON_OBJECT('accountId', ?), NOW(3))",
        [person.id],
      )) as unknown as [{ insertId: number }];
      outboxId = res.insertId;
      await money.query('START TRANSACTION');
      await money.query('SELECT id FROM account WHERE id = ? FOR UPDATE', [person.id]);
      const jobIds = await mods.expandEvent(new mods.RequestDb(), outboxId);
      expect(jobIds).toHaveLength(1);
    } finally {
      await money.query('ROLLBACK');
      await money.end();
    }
    expect(await query('primary', 'SELECT channel, destination FROM notification_job WHERE outbox_id = ?', [outboxId])).toEqual([
      { channel: 'email', destination: person.email },
    ]);
    // Nothing queues this job: it is marked done so that the stuck-jobs schedule does not mail a reset link.
    await query('primary', "UPDATE notification_job SET status = 'done', sent_at = NOW(3) WHERE outbox_id = ?", [outboxId]);
  });
});
