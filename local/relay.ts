// What Lambda's SQS event source mapping does in AWS, for the local stack: receives batches from
// the events queue, invokes the consumer through serverless-offline's Lambda endpoint with the
// event AWS would send, and deletes only the messages the consumer did not report as failed. The
// others come back when their visibility timeout (which the consumer may have extended to back
// off) runs out, and after the queue's last receive the queue moves them to the dead-letter queue.
// serverless-offline itself ignores `sqs` events, so this relay is the only thing that drives it.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { nodeChildSpec } from './node-child';
import { childService, type Service } from './processes';

export interface RelayOptions {
  sqsEndpoint: string;
  region: string;
  queueUrl: string;
  /** serverless-offline's Lambda endpoint (http://127.0.0.1:LAMBDA_PORT). */
  lambdaUrl: string;
  functionName: string;
  /** serverless.yml: the `sqs` event's batchSize. */
  batchSize?: number;
  /** Batches handled at once (Lambda's concurrent consumers); by default sized to the machine. */
  maxInFlight?: number;
}

interface Relay {
  stop(): Promise<void>;
}

/**
 * Batches being handled at once, as Lambda would run several concurrent consumers. The consumer
 * waits on the database and SMTP more than it computes, so a few per core keep it busy.
 */
const DEFAULT_MAX_IN_FLIGHT = Math.max(4, 3 * os.availableParallelism());
/** What the relay's process prints once it polls (relayService waits for it). */
export const RELAY_STARTED = 'relay: polling the events queue';
/** Pause between empty receives: local-aws-sqs answers a long poll only when the batch is full or the wait is over, so the relay polls briefly and often instead. */
const IDLE_POLL_MS = 50;

export function startRelay(o: RelayOptions): Relay {
  // As for the API (sqs.ts, localAwsEnv): the SDK's notice about Node 20 is not news here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sqs = new SQSClient({
    region: o.region,
    endpoint: o.sqsEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const queueArn = `arn:aws:sqs:${o.region}:${o.queueUrl.split('/').slice(-2).join(':')}`;
  const inFlight = new Set<Promise<void>>();
  const maxInFlight = o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  let running = true;

  async function handleBatch(messages: Message[]): Promise<void> {
    let failed: Set<string>;
    try {
      failed = await invoke(messages);
    } catch (err) {
      console.error(
        `relay: invoking ${o.functionName} failed; ${messages.length} messages come back after their visibility timeout:`,
        (err as Error).message,
      );
      return;
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length === 0) return;
    await sqs
      .send(
        new DeleteMessageBatchCommand({
          QueueUrl: o.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      )
      .catch((err) => console.error('relay: delete failed', (err as Error).message));
  }

  /** The ids of the messages that failed: those the consumer reported, or all when it crashed. */
  async function invoke(messages: Message[]): Promise<Set<string>> {
    const event = {
      Records: messages.map((m) => ({
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
        attributes: m.Attributes ?? {},
        messageAttributes: {},
        md5OfBody: m.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: o.region,
      })),
    };
    const res = await fetch(`${o.lambdaUrl}/2015-03-31/functions/${o.functionName}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status} ${text.slice(0, 200)}`);
    if (res.headers.get('x-amz-function-error')) {
      console.error(`relay: ${o.functionName} crashed; the whole batch comes back:`, text.slice(0, 500));
      return new Set(messages.map((m) => m.MessageId!));
    }
    const answer = (text ? JSON.parse(text) : {}) as { batchItemFailures?: { itemIdentifier: string }[] };
    return new Set((answer.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  }

  async function loop(): Promise<void> {
    while (running) {
      if (inFlight.size >= maxInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      let messages: Message[] = [];
      try {
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: o.queueUrl,
            MaxNumberOfMessages: o.batchSize ?? 10,
            WaitTimeSeconds: 0,
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        );
        messages = res.Messages ?? [];
      } catch {
        // The queue is stopped or restarting: try again shortly.
      }
      if (messages.length === 0) {
        await sleep(IDLE_POLL_MS);
        continue;
      }
      const batch = handleBatch(messages).finally(() => inFlight.delete(batch));
      inFlight.add(batch);
    }
  }

  const looping = loop();
  return {
    async stop() {
      running = false;
      await looping;
      await Promise.allSettled(inFlight);
      sqs.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The relay as a service of the stack, in a process of its own: stopping or freezing it is Lambda's
 * event source mapping paused (messages wait in the queue); it is ready once it polls.
 */
export function relayService(o: RelayOptions & { logsDir: string }): Service {
  const { logsDir, ...options } = o;
  const spec = nodeChildSpec('relay', 'relay-main.ts', options, logsDir);
  // The log is appended to across restarts: ready when it says so once more than before.
  const startsLogged = async () => (await readFile(spec.logFile, 'utf8').catch(() => '')).split(RELAY_STARTED).length - 1;
  let before = 0;
  const child = childService(spec, async () => (await startsLogged()) > before, 30_000);
  return {
    ...child,
    async start() {
      before = await startsLogged();
      await child.start();
    },
  };
}
