// Every paginated list takes back only the cursors it issued: a forged one is 400
// validation_failed on `cursor`, never a 500 from the SQL it would otherwise reach.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, errorOf, type Answer } from '../helpers/http';
import { earn } from '../helpers/earn';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

// What a hostile client sends: shapes JSON allows, numbers SQL cannot take, and plain garbage.
const FORGED: Record<string, string> = {
  'NaN as a string': b64('["NaN"]'),
  'Infinity (1e999)': b64('[1e999]'),
  'a negative id': b64('[-5]'),
  'a fraction': b64('[1.5]'),
  zero: b64('[0]'),
  'an unsafe integer': b64('[9007199254740993]'),
  'an empty array': b64('[]'),
  'two parts': b64('[5,6]'),
  'an object': b64('{"id":5}'),
  'a bare number': b64('5'),
  null: b64('null'),
  'a string id': b64('["5"]'),
  'not JSON': b64('not json'),
  'garbage base64': '!!!***',
  'padded base64 of a valid cursor': `${b64('[5]')}=`,
  'standard base64 with + and /': '+/+/',
  'over 200 characters': 'A'.repeat(201),
};

let customer: Person;
let executor: Person;
let boss: Person;
let taskId: number;

beforeAll(async () => {
  [customer, executor, boss] = await Promise.all([register('customer'), register('executor'), admin()]);
  await topUp(customer, '100.00');
  const task = await postTask(customer, { reward: '10.00', assignment: 'choose' });
  taskId = task.id;
  await earn(executor, '150.00');
  expect((await executor.post('/api/payouts', { amount: '100.00', method: 'card', destination: '4111111111111111' })).status).toBe(201);
});

// Every list of the API, as the caller who may read it.
const LISTS: [string, () => Person | null, () => string][] = [
  ['GET /api/tasks (anonymous feed)', () => null, () => '/api/tasks'],
  ['GET /api/tasks?category=', () => null, () => '/api/tasks?category=1'],
  ['GET /api/me/tasks', () => customer, () => '/api/me/tasks'],
  ['GET /api/tasks/{id}/applications', () => customer, () => `/api/tasks/${taskId}/applications`],
  ['GET /api/payments', () => customer, () => '/api/payments'],
  ['GET /api/payouts', () => executor, () => '/api/payouts'],
  ['GET /api/me/ledger', () => customer, () => '/api/me/ledger'],
  ['GET /api/admin/payouts', () => boss, () => '/api/admin/payouts'],
  ['GET /api/admin/errors', () => boss, () => '/api/admin/errors'],
  ['GET /api/admin/jobs', () => boss, () => '/api/admin/jobs'],
];

function get(who: Person | null, path: string): Promise<Answer> {
  return who ? who.get(path) : call('GET', path);
}

const withCursor = (path: string, cursor: string) => `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

describe.each(LISTS)('%s', (_name, who, path) => {
  it('refuses every forged cursor with 400 validation_failed on cursor', async () => {
    for (const [label, cursor] of Object.entries(FORGED)) {
      const res = await get(who(), withCursor(path(), cursor));
      expect(errorOf(res), label).toEqual({ status: 400, code: 'validation_failed' });
      expect(res.body.error.details, label).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    }
  });

  it('takes back the cursor it issued', async () => {
    const first = await get(who(), `${path()}${path().includes('?') ? '&' : '?'}limit=1`);
    expect(first.status).toBe(200);
    if (first.body.nextCursor === null) return; // one page only: nothing to hand back
    const second = await get(who(), withCursor(`${path()}${path().includes('?') ? '&' : '?'}limit=1`, first.body.nextCursor));
    expect(second.status).toBe(200);
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
  });
});
