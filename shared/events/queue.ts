// The events queue (SQS): what travels on it, sending, and backing a message off before its retry.
// In AWS the SDK finds region and credentials in the Lambda environment; locally the launcher sets
// AWS_REGION, fake credentials and AWS_ENDPOINT_URL_SQS (its SQS emulator) for the API.
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { config } from '../config';

export const QueueMessage = z.discriminatedUnion('kind', [
  /** An outbox row to expand into notification jobs. */
  z.strictObject({ kind: z.literal('event'), outboxId: z.number().int().positive() }),
  /** Jobs to send. */
  z.strictObject({ kind: z.literal('deliver'), jobIds: z.array(z.number().int().positive()).min(1).max(100) }),
]);
export type QueueMessage = z.infer<typeof QueueMessage>;

/** The queue's maxReceiveCount (serverless/queue.yml): the receive after which SQS dead-letters a message. */
export const MAX_RECEIVES = 5;
/** SQS's limit on one visibility change (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;
const SEND_BATCH = 10;

let client: SQSClient | undefined;

function sqs(): SQSClient {
  // Publishing runs inside API requests: a dead queue must cost about a second, not the SDK's defaults.
  client ??= new SQSClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 5000 } });
  return client;
}

export function queueConfigured(): boolean {
  return config.SQS_QUEUE_URL !== '';
}

/** Sends the messages in batches of ten; throws unless every one was accepted. */
export async function sendMessages(messages: QueueMessage[]): Promise<void> {
  if (!queueConfigured()) throw new Error('SQS_QUEUE_URL is not set');
  for (let i = 0; i < messages.length; i += SEND_BATCH) {
    const chunk = messages.slice(i, i + SEND_BATCH);
    const res = await sqs().send(new SendMessageBatchCommand({
      QueueUrl: config.SQS_QUEUE_URL,
      Entries: chunk.map((message, n) => ({ Id: String(n), MessageBody: JSON.stringify(message) })),
    }));
    const failed = res.Failed ?? [];
    if (failed.length > 0) throw new Error(`SQS refused ${failed.length} of ${chunk.length} messages: ${failed[0]?.Message ?? failed[0]?.Code}`);
  }
}

/** Exponential backoff for the try that follows receive number `receiveCount`. */
export function retryDelaySeconds(receiveCount: number): number {
  return Math.min(config.JOB_RETRY_BASE_SECONDS * 2 ** Math.max(0, receiveCount - 1), MAX_VISIBILITY_SECONDS);
}

/** Keeps a received message hidden for `seconds` from now: that is when SQS delivers it again. */
export async function delayRedelivery(receiptHandle: string, seconds: number): Promise<void> {
  await sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: config.SQS_QUEUE_URL, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
}
