// Invoking a function directly, as EventBridge or SQS would, through serverless-offline's Lambda API.
import { expect } from 'vitest';
import { stack } from './http';

export async function invoke<T = any>(functionName: string, event: unknown = {}): Promise<T> {
  const res = await fetch(`${stack.urls.lambda}/2015-03-31/functions/execorder-local-${functionName}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const result = text ? JSON.parse(text) : undefined;
  // A function that threw still answers 200 through the Lambda API, with the error as its result.
  expect(result?.errorType, text).toBeUndefined();
  return result as T;
}
