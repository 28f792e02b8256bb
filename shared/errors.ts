// Domain errors carry the contract's code and no HTTP status: the one error mapper
// (shared/http/handler.ts) holds the code → status table.
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Every error code of the contract (../shared/API.md) and the specific codes beside `conflict`. */
export const ERROR_CODES = [
  'validation_failed',
  'bad_request',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'account_blocked',
  'not_found',
  'conflict',
  'email_taken',
  'task_taken',
  'invalid_state',
  'insufficient_funds',
  'amount_too_large',
  'idempotency_key_reused',
  'payload_too_large',
  'rate_limited',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** When trying again can help (rate limits, a dependency down): the client is told to wait this long. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new AppError('bad_request', message);
export const validationFailed = (details: ErrorDetail[]) =>
  new AppError('validation_failed', 'The request does not match the schema', details);
export const unauthenticated = (message = 'Authentication required') => new AppError('unauthenticated', message);
export const invalidCredentials = () => new AppError('invalid_credentials', 'Wrong email or password');
export const forbidden = (message = 'Not allowed') => new AppError('forbidden', message);
/** A blocked account's refused action: the block's reason is the message. */
export const accountBlocked = (reason: string) => new AppError('account_blocked', reason);
export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);
export const conflict = (code: 'conflict' | 'email_taken' | 'task_taken' | 'idempotency_key_reused', message: string) =>
  new AppError(code, message);
export const invalidState = (message: string) => new AppError('invalid_state', message);
export const insufficientFunds = (message = 'Not enough money') => new AppError('insufficient_funds', message);
/** A credit that would take a bucket past what its DECIMAL(12,2) column holds. */
export const amountTooLarge = (message: string) => new AppError('amount_too_large', message);
export const payloadTooLarge = () => new AppError('payload_too_large', 'The body is over 64 KiB');
export const rateLimited = (retryAfterSeconds: number) => new AppError('rate_limited', 'Too many requests', undefined, retryAfterSeconds);
export const unavailable = (message: string, retryAfterSeconds = 5) => new AppError('unavailable', message, undefined, retryAfterSeconds);
