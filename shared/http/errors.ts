// Domain errors carry the contract's status and code; the one error mapper turns them into bodies.
export interface ErrorDetail { path: string; message: string }

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new AppError(400, 'bad_request', message);
export const validationFailed = (details: ErrorDetail[]) =>
  new AppError(400, 'validation_failed', 'The request does not match the schema', details);
export const unauthenticated = (message = 'Authentication required') => new AppError(401, 'unauthenticated', message);
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Wrong email or password');
export const forbidden = (message = 'Not allowed') => new AppError(403, 'forbidden', message);
/** A blocked account's refused action: the block's reason is the message. */
export const accountBlocked = (reason: string) => new AppError(403, 'account_blocked', reason);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const invalidState = (message: string) => new AppError(409, 'invalid_state', message);
export const insufficientFunds = (message = 'Not enough money') => new AppError(409, 'insufficient_funds', message);
/** A credit that would take a bucket past what its DECIMAL(12,2) column holds. */
export const amountTooLarge = (message: string) => new AppError(409, 'amount_too_large', message);
export const payloadTooLarge = () => new AppError(413, 'payload_too_large', 'The body is over 64 KiB');
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', 'Too many requests', undefined, { 'Retry-After': String(retryAfterSeconds) });
export const unavailable = (message: string, retryAfterSeconds = 5) =>
  new AppError(503, 'unavailable', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
