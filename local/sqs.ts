// The events queue on this machine: local-aws-sqs (an SQS-compatible endpoint, pure JS) in a child
// process of its own (local/sqs-main.ts), with the queue and dead-letter queue of
// serverless/queue.yml. The API reaches it through AWS_ENDPOINT_URL_SQS; local/relay.ts, another
// child, feeds its messages to the consumer.
import http from 'node:http';
import { createRequestHandler } from 'local-aws-sqs';
import { nodeChildSpec } from './node-child';
import { isListening } from './ports';
import { childService, type Service } from './processes';
import { MAX_RECEIVES } from '../shared/events/redrive';
import { listenOnLoopback } from './loopback';

export const LOCAL_REGION = 'eu-central-1';
const ACCOUNT_ID = '000000000000';
// As serverless/queue.yml names them for the `local` stage.
const QUEUE_NAME = 'execorder-local-events';
const DEAD_LETTER_QUEUE_NAME = 'execorder-local-events-dlq';

export interface LocalSqsUrls {
  endpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
}

interface LocalSqs extends LocalSqsUrls {
  close(): Promise<void>;
}

/** Known before the server starts: the API's environment names the queue. */
export function localSqsUrls(port: number): LocalSqsUrls {
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    queueUrl: `${endpoint}/${ACCOUNT_ID}/${QUEUE_NAME}`,
    deadLetterQueueUrl: `${endpoint}/${ACCOUNT_ID}/${DEAD_LETTER_QUEUE_NAME}`,
  };
}

/** Fake credentials and the region for SDK clients of the local endpoint (nothing checks them). */
export function localAwsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SQS: endpoint,
    // package.json allows Node 20; the SDK's notice about its 2027 releases is not news here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export interface LocalSqsOptions {
  port: number;
  visibilityTimeoutSeconds: number;
}

/**
 * `visibilityTimeoutSeconds` is short locally (a crashed batch comes back quickly), and queues live
 * in memory: a restart starts empty, as after a purge.
 */
export async function startLocalSqs(o: LocalSqsOptions): Promise<LocalSqs> {
  const { requestHandler, service } = createRequestHandler({
    port: o.port,
    hostname: '127.0.0.1',
    region: LOCAL_REGION,
    accountId: ACCOUNT_ID,
    queues: [
      { QueueName: DEAD_LETTER_QUEUE_NAME, Attributes: { MessageRetentionPeriod: 1_209_600 } },
      {
        QueueName: QUEUE_NAME,
        Attributes: {
          VisibilityTimeout: o.visibilityTimeoutSeconds,
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:${LOCAL_REGION}:${ACCOUNT_ID}:${DEAD_LETTER_QUEUE_NAME}`,
            maxReceiveCount: MAX_RECEIVES,
          }),
        },
      },
    ],
  });
  for (const queue of service.Queues) countOnlyReceives(queue);
  const server = http.createServer((req, res) => void requestHandler(req, res));
  const listening = await listenOnLoopback(server, o.port);
  return {
    ...localSqsUrls(o.port),
    close: async () => {
      await listening.close();
      for (const queue of service.Queues) queue.clearRecords();
    },
  };
}

interface StoredMessage {
  record: { MessageId: string; attributes: { ApproximateReceiveCount: string } };
}
interface QueueInternals {
  newRecord(record: unknown, delay?: number): StoredMessage;
  changeVisibility(receiptHandle: string, visibilityTimeout: string): boolean;
  delete(receiptHandle: string): boolean;
}

/**
 * local-aws-sqs 2.0 counts a ChangeMessageVisibility as one more receive, so a consumer that backs
 * off would reach the dead-letter queue after three tries instead of five. This takes the extra
 * count back (the count is only read when the message next becomes visible or is received).
 */
function countOnlyReceives(queue: QueueInternals): void {
  const stored = new Map<string, StoredMessage>();
  const messageIdOf = (receiptHandle: string): string | undefined => {
    try {
      const text = Buffer.from(receiptHandle, 'base64').toString('utf8');
      return (JSON.parse(text.slice(text.indexOf('{'))) as { MessageId?: string }).MessageId;
    } catch {
      return undefined;
    }
  };
  const newRecord = queue.newRecord.bind(queue);
  queue.newRecord = (record, delay) => {
    const message = newRecord(record, delay);
    stored.set(message.record.MessageId, message);
    return message;
  };
  const changeVisibility = queue.changeVisibility.bind(queue);
  queue.changeVisibility = (receiptHandle, visibilityTimeout) => {
    const changed = changeVisibility(receiptHandle, visibilityTimeout);
    const message = stored.get(messageIdOf(receiptHandle) ?? '');
    if (changed && message) {
      const attributes = message.record.attributes;
      attributes.ApproximateReceiveCount = String(Math.max(1, Number(attributes.ApproximateReceiveCount) - 1));
    }
    return changed;
  };
  const remove = queue.delete.bind(queue);
  queue.delete = (receiptHandle) => {
    const id = messageIdOf(receiptHandle);
    if (id) stored.delete(id);
    return remove(receiptHandle);
  };
}

/**
 * The queue as a service of the stack, in a process of its own: stopping it is SQS being
 * unreachable (the API's publishing fails, the outbox keeps the rows) and loses every message, as
 * a crash would; a restart starts with empty queues. Freezing it is a queue that accepts
 * connections and answers nothing.
 */
export function sqsService(o: LocalSqsOptions & { logsDir: string }): Service {
  // For SDK clients in the launcher's process and the processes it forks (test workers), as localAwsEnv does for the API.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { logsDir, ...options } = o;
  return childService(nodeChildSpec('sqs', 'sqs-main.ts', options, logsDir), () => isListening(o.port), 30_000);
}
