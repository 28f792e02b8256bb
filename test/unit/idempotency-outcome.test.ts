import { describe, expect, it } from 'vitest';
import { decodeOutcome, encodeRefusal, encodeResult } from '../../shared/db/idempotency-outcome';
import { AppError, conflict, validationFailed } from '../../shared/errors';

describe('the outcome kept under an Idempotency-Key', () => {
  it('gives a transaction result back as it was: Dates, Buffers, bigints, nulls and undefined included', () => {
    const result = {
      id: 7,
      reward: '70.00',
      createdAt: new Date('2026-12-01T10:00:00.123Z'),
      dueAt: null,
      comment: undefined,
      fingerprint: Buffer.from([0, 1, 254, 255]),
      total: 12_345_678_901_234_567_890n,
      history: [{ at: new Date(0), action: 'take' }],
    };
    const back = decodeOutcome(encodeResult(result));
    expect(back).toEqual({ result });
    const kept = (back as { result: typeof result }).result;
    expect(kept.createdAt).toBeInstanceOf(Date);
    expect(Buffer.isBuffer(kept.fingerprint)).toBe(true);
    expect(typeof kept.total).toBe('bigint');
    expect('comment' in kept).toBe(true);
  });

  it('keeps a result that is no object at all', () => {
    expect(decodeOutcome(encodeResult(undefined))).toEqual({ result: undefined });
    expect(decodeOutcome(encodeResult('credited'))).toEqual({ result: 'credited' });
  });

  it('rebuilds a refusal as the domain error it was, with its code, message and details', () => {
    const refused = decodeOutcome(encodeRefusal(validationFailed([{ path: 'categoryId', message: 'no such category' }])));
    if (!('refusal' in refused)) throw new Error('expected a refusal');
    expect(refused.refusal).toBeInstanceOf(AppError);
    expect(refused.refusal).toMatchObject({
      code: 'validation_failed',
      message: 'The request does not match the schema',
      details: [{ path: 'categoryId', message: 'no such category' }],
    });
    const taken = decodeOutcome(encodeRefusal(conflict('task_taken', 'Another executor has already taken this task')));
    expect('refusal' in taken && taken.refusal).toMatchObject({ code: 'task_taken', details: undefined, retryAfterSeconds: undefined });
  });
});
