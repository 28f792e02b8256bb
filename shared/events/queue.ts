// The events queue (SQS): what travels on it, sending, and backing a message off before its retry.
// In AWS the SDK finds region and credentials in the Lambda environment; locally the launcher sets
// AWS_REGION, fake credentials and AWS_ENDPOINT_URL_SQS (its SQS emulator) for the API.
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { config } from '../config';
import { MAX_RECEIVES } from './redrive';

export const QueueMessage = z.discriminatedUnion('kind', [
  /** An outbox row to expand into notification jobs. */
  z.strictObject({ kind: z.literal('event'), outboxId: z.number().int().positive() }),
  /** Jobs to send. */
  z.strictObject({ kind: z.literal('deliver'), jobIds: z.array(z.number().int().positive()).min(1).max(100) }),
]);
export type QueueMessage = z.infer<typeof QueueMessage>;

/** SQS's limit on one visibility change (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;
const SEND_BATCH = 10;

/**
 * Who is waiting for a send: a request (one try and short timeouts: a slow queue must not hold
 * its answer; a schedule sends whatever it misses), or background work (the relay, the consumer,
 * the schedules) that may take the SDK's retries.
 */
export type Sender = 'request' | 'background';

const clients = new Map<Sender, SQSClient>();

function sqs(sender: Sender): SQSClient {
  let client = clients.get(sender);
  if (!client) {
    client =
      sender === 'request'
        ? new SQSClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 } })
        : new SQSClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 2000, requestTimeout: 10_000 } });
    clients.set(sender, client);
  }
  return client;
}

export function queueConfigured(): boolean {
  return config.SQS_QUEUE_URL !== '';
}

/** Sends the messages in batches of ten (side by side); throws unless every one was accepted. */
export async function sendMessages(messages: QueueMessage[], sender: Sender = 'background'): Promise<void> {
  if (!queueConfigured()) throw new Error('SQS_QUEUE_URL is not set');
  const chunks: QueueMessage[][] = [];
  for (let i = 0; i < messages.length; i += SEND_BATCH) chunks.push(messages.slice(i, i + SEND_BATCH));
  await Promise.all(
    chunks.map(async (chunk) => {
      const res = await sqs(sender).send(
        new SendMessageBatchCommand({
          QueueUrl: config.SQS_QUEUE_URL,
          Entries: chunk.map((message, n) => ({ Id: String(n), MessageBody: JSON.stringify(message) })),
        }),
      );
      const failed = res.Failed ?? [];
      if (failed.length > 0)
        throw new Error(`SQS refused ${failed.length} of ${chunk.length} messages: ${failed[0]?.Message ?? failed[0]?.Code}`);
    }),
  );
}

/** Exponential backoff for the try that follows receive number `receiveCount`. */
export function retryDelaySeconds(receiveCount: number): number {
  return Math.min(config.JOB_RETRY_BASE_SECONDS * 2 ** Math.max(0, receiveCount - 1), MAX_VISIBILITY_SECONDS);
}

/**
 * How long a message may go without its consumer acting on it before it is taken as lost (the
 * queue lost it, or it was never sent): twice the longest a failed try hides it, and at least a
 * minute. The reconcilers send again what waits longer; a message that was only slow is then
 * handled twice, which the consumer makes harmless.
 */
export function lostAfterSeconds(): number {
  return Math.max(60, 2 * retryDelaySeconds(MAX_RECEIVES - 1));
}

/** Keeps a received message hidden for `seconds` from now: that is when SQS delivers it again. */
export async function delayRedelivery(receiptHandle: string, seconds: number): Promise<void> {
  await sqs('background').send(
    new ChangeMessageVisibilityCommand({ QueueUrl: config.SQS_QUEUE_URL, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }),
  );
}
