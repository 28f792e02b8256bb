import { describe, expect, it } from 'vitest';
import { conflict, ERROR_CODES, AppError, notFound, rateLimited, unavailable, validationFailed } from '../../shared/errors';
import { errorReply } from '../../shared/http/reply';

describe('the one error mapper', () => {
  it('gives every contract code a 4xx or 503 status', () => {
    for (const code of ERROR_CODES) {
      const { status } = errorReply(new AppError(code, 'x'));
      expect(status === 503 || (status >= 400 && status < 500), code).toBe(true);
    }
  });

  it('answers the contract statuses and bodies', () => {
    expect(errorReply(notFound('Task'))).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'Task not found' } },
      headers: undefined,
    });
    expect(errorReply(conflict('task_taken', 'taken')).status).toBe(409);
    expect(errorReply(validationFailed([{ path: 'reward', message: 'bad' }])).body).toEqual({
      error: { code: 'validation_failed', message: 'The request does not match the schema', details: [{ path: 'reward', message: 'bad' }] },
    });
  });

  it('tells the client when to retry', () => {
    expect(errorReply(rateLimited(7))).toMatchObject({ status: 429, headers: { 'Retry-After': '7' } });
    expect(errorReply(unavailable('down'))).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
  });
});
