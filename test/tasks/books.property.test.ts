// Random sequences of operations by several customers and executors, run against the real
// API: after every step the books balance and no balance is negative.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../helpers/db';
import { invoke } from '../helpers/invoke';
import { expectBooksBalanced, topUp } from '../helpers/money';
import { admin, register, type Person } from '../helpers/users';

let customers: Person[];
let executors: Person[];
let boss: Person;

beforeAll(async () => {
  customers = await Promise.all([0, 1, 2].map(() => register('customer')));
  executors = await Promise.all([0, 1, 2].map(() => register('executor')));
  boss = await admin();
  for (const c of customers) await topUp(c, '500.00');
}, 60_000);

type Op =
  | { kind: 'create'; who: number; reward: number; assignment: 'first' | 'choose' }
  | { kind: 'take' | 'apply' | 'abandon' | 'submit'; who: number; task: number }
  | { kind: 'assign'; who: number; task: number; executor: number }
  | { kind: 'accept' | 'reject' | 'cancel'; who: number; task: number }
  | { kind: 'topup'; who: number; reward: number }
  // Deals (API v2): offers with a price, deadlines, disputes and their settlement.
  | { kind: 'offer'; who: number; task: number; price: number | null }
  | { kind: 'extend'; who: number; task: number }
  | { kind: 'dispute'; side: 'customer' | 'executor'; who: number; task: number; amount: number }
  | { kind: 'respond'; side: 'customer' | 'executor'; who: number; task: number; amount: number }
  | { kind: 'withdraw'; side: 'customer' | 'executor'; who: number; task: number }
  | { kind: 'decide'; task: number; amount: number }
  | { kind: 'timeout'; task: number };

const person = fc.nat({ max: 2 });
const side = fc.constantFrom('customer' as const, 'executor' as const);
const taskIndex = fc.nat({ max: 7 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    who: person,
    reward: fc.integer({ min: 1, max: 30_000 }),
    assignment: fc.constantFrom('first' as const, 'choose' as const),
  }),
  fc.record({
    kind: fc.constantFrom('take' as const, 'apply' as const, 'abandon' as const, 'submit' as const),
    who: person,
    task: taskIndex,
  }),
  fc.record({ kind: fc.constant('assign' as const), who: person, task: taskIndex, executor: person }),
  fc.record({ kind: fc.constantFrom('accept' as const, 'reject' as const, 'cancel' as const), who: person, task: taskIndex }),
  fc.record({ kind: fc.constant('topup' as const), who: person, reward: fc.integer({ min: 1_000, max: 50_000 }) }),
  fc.record({ kind: fc.constant('offer' as const), who: person, task: taskIndex, price: fc.option(fc.integer({ min: 1, max: 40_000 })) }),
  fc.record({ kind: fc.constant('extend' as const), who: person, task: taskIndex }),
  fc.record({
    kind: fc.constantFrom('dispute' as const, 'respond' as const),
    side,
    who: person,
    task: taskIndex,
    amount: fc.integer({ min: 0, max: 30_000 }),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), side, who: person, task: taskIndex }),
  fc.record({ kind: fc.constant('decide' as const), task: taskIndex, amount: fc.integer({ min: 0, max: 30_000 }) }),
  fc.record({ kind: fc.constant('timeout' as const), task: taskIndex }),
);

const amount = (kopecks: number) => `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`;

const party = (o: { side: 'customer' | 'executor'; who: number }) => (o.side === 'customer' ? customers : executors)[o.who];

async function run(o: Op, tasks: number[]): Promise<number> {
  const task = 'task' in o ? tasks[o.task % Math.max(tasks.length, 1)] : undefined;
  switch (o.kind) {
    case 'create': {
      const res = await customers[o.who]!.post('/api/tasks', {
        title: 'p',
        description: 'p',
        reward: amount(o.reward),
        categoryId: 7,
        assignment: o.assignment,
      });
      if (res.status === 201) tasks.push(res.body.id);
      return res.status;
    }
    case 'topup':
      await topUp(customers[o.who]!, amount(o.reward));
      return 200;
    case 'assign':
      return task === undefined
        ? 0
        : (await customers[o.who]!.post(`/api/tasks/${task}/assign`, { executorId: executors[o.executor]!.id })).status;
    case 'reject':
      return task === undefined ? 0 : (await customers[o.who]!.post(`/api/tasks/${task}/reject`, { comment: 'again' })).status;
    case 'accept':
    case 'cancel':
      return task === undefined ? 0 : (await customers[o.who]!.post(`/api/tasks/${task}/${o.kind}`)).status;
    case 'offer':
      return task === undefined
        ? 0
        : (await executors[o.who]!.post(`/api/tasks/${task}/apply`, { price: o.price === null ? null : amount(o.price), days: 2 })).status;
    case 'extend':
      return task === undefined ? 0 : (await customers[o.who]!.post(`/api/tasks/${task}/extend`, { days: 1 })).status;
    case 'dispute':
      return task === undefined
        ? 0
        : (await party(o)!.post(`/api/tasks/${task}/dispute`, { reason: 'p', executorAmount: amount(o.amount) })).status;
    case 'respond':
      return task === undefined
        ? 0
        : (await party(o)!.post(`/api/tasks/${task}/dispute/respond`, { executorAmount: amount(o.amount) })).status;
    case 'withdraw':
      return task === undefined ? 0 : (await party(o)!.post(`/api/tasks/${task}/dispute/withdraw`)).status;
    case 'decide': {
      const [open] =
        task === undefined
          ? []
          : await query('primary', "SELECT id FROM dispute WHERE task_id = ? AND status IN ('awaiting_response', 'awaiting_admin')", [
              task,
            ]);
      return open
        ? (await boss.post(`/api/admin/disputes/${open.id}/decide`, { executorAmount: amount(o.amount), comment: 'p' })).status
        : 0;
    }
    case 'timeout':
      if (task === undefined) return 0;
      await query(
        'primary',
        "UPDATE dispute SET respond_by = NOW(3) - INTERVAL 1 SECOND WHERE task_id = ? AND status = 'awaiting_response'",
        [task],
      );
      await invoke('disputeDeadlines');
      return 200;
    default:
      return task === undefined ? 0 : (await executors[o.who]!.post(`/api/tasks/${task}/${o.kind}`)).status;
  }
}

describe('the books under random operations', () => {
  it('balance after every step, with no negative money and never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const tasks: number[] = [];
        for (const o of ops) {
          const status = await run(o, tasks);
          expect(status).toBeLessThan(500);
          await expectBooksBalanced();
          const [negative] = await query(
            'primary',
            'SELECT COUNT(*) AS n FROM account WHERE balance < 0 OR balance_held < 0 OR salary < 0 OR salary_held < 0',
          );
          expect(Number(negative.n)).toBe(0);
        }
      }),
      { numRuns: 10 },
    );
  }, 480_000);
});
