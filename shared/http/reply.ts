// What a handler answers, and the one table from a domain error's code to its HTTP status.
import type { AppError, ErrorCode } from '../errors';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  account_blocked: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  task_taken: 409,
  invalid_state: 409,
  insufficient_funds: 409,
  amount_too_large: 409,
  idempotency_key_reused: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** A domain error as the contract's error body, with its status and, when waiting helps, `Retry-After`. */
export function errorReply(appError: AppError): Reply {
  const body = { error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) } };
  const headers = appError.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(appError.retryAfterSeconds) };
  return { status: STATUS_OF[appError.code], body, headers };
}
