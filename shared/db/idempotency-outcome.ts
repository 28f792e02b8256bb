// What the first request with an Idempotency-Key ended with: the result its transaction returned
// (a repeat builds its answer from it, as the first did) or the domain's refusal (thrown again, and
// shaped by the one error mapper). node:v8 keeps what JSON would lose: Dates, Buffers, bigints.
import { deserialize, serialize } from 'node:v8';
import { AppError, type ErrorCode, type ErrorDetail } from '../errors';

interface StoredRefusal {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  retryAfterSeconds?: number;
}

type Stored = { result: unknown } | { refusal: StoredRefusal };

export type Outcome = { result: unknown } | { refusal: AppError };

export const encodeResult = (result: unknown): Buffer => serialize({ result } satisfies Stored);

export function encodeRefusal(err: AppError): Buffer {
  const refusal: StoredRefusal = { code: err.code, message: err.message, details: err.details, retryAfterSeconds: err.retryAfterSeconds };
  return serialize({ refusal } satisfies Stored);
}

export function decodeOutcome(blob: Buffer): Outcome {
  const stored = deserialize(blob) as Stored;
  if ('result' in stored) return stored;
  const { code, message, details, retryAfterSeconds } = stored.refusal;
  return { refusal: new AppError(code, message, details, retryAfterSeconds) };
}
