// No request may outlive its function: Lambda (and serverless-offline) would cut it off and answer
// with their own body (a 500, or a 200 with `errorMessage` and a stack). A handler still running
// HANDLER_TIMEOUT_MARGIN_MS before the limit answers the contract's 503 itself, while there is
// time to send it; the work it abandons carries on or dies with the container, and a client that
// retries a money POST with its Idempotency-Key learns how it ended.
import type { Context } from 'aws-lambda';

export function answerBeforeTimeout<E, C extends Context, R>(
  handler: (event: E, context: C) => Promise<R>,
  marginMs: number,
  late: (context: C) => R,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    // Absent outside a Lambda runtime (direct calls in scripts): no limit to race.
    if (typeof context.getRemainingTimeInMillis !== 'function') return handler(event, context);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<R>((resolve) => {
      timer = setTimeout(() => resolve(late(context)), Math.max(0, context.getRemainingTimeInMillis() - marginMs));
    });
    try {
      return await Promise.race([handler(event, context), deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
}
