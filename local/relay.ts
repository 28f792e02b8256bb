// What Lambda's SQS event source mapping does in AWS, for the local stack: receives batches from
// the events queue, calls the consumer's handler with the event AWS would send, and deletes only
// the messages the consumer did not report as failed. The others come back when their visibility
// timeout (which the consumer may have extended to back off) runs out, and after the queue's last
// receive the queue moves them to the dead-letter queue. serverless-offline itself ignores `sqs`
// events, so this relay is the only thing that drives it.
//
// The handler runs in the relay's own process, as in AWS the consumer runs in containers of its
// own: in the API's process, every notification's expansion and sends took the event loop that
// answers the HTTP requests (moved here, one account's creates went from 35/s to ~70/s and the
// notifications' lag at p99 from 10–13 s to 4–5 s; README, Benchmarks). The API's Lambda endpoint
// still runs it too, for tests that play SQS by hand (test/helpers/invoke.ts).
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { nodeChildSpec } from './node-child';
import { childService, type Service } from './processes';

export interface RelayOptions {
  sqsEndpoint: string;
  region: string;
  queueUrl: string;
  /** The consumer as serverless.yml names it: its handler (`functions/events/consume.handler`) and timeout. */
  consumer: { handler: string; timeoutSeconds: number };
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
/**
 * Pauses between empty receives: local-aws-sqs answers a long poll only when the batch is full or
 * the wait is over, so the relay polls briefly instead: every 50 ms for a second after the last
 * message (traffic with gaps keeps its latency), then every 500 ms while none comes (every 50 ms
 * kept an idle stack's relay and queue at a tenth of a core). A long poll for one message would
 * answer at once, but a relay frozen in the middle of one (a test's paused consumer) would still
 * take the next message.
 */
const IDLE_POLL = { ms: 50, quietAfterMs: 1000, quietMs: 500 };

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** The handler `functions/x.name` of this repository, loaded as Lambda loads it: once per process. */
async function loadHandler(spec: string): Promise<SqsHandler> {
  const dot = spec.lastIndexOf('.');
  const module = (await import(path.resolve(__dirname, '..', spec.slice(0, dot)))) as Record<string, unknown>;
  const handler = module[spec.slice(dot + 1)];
  if (typeof handler !== 'function') throw new Error(`${spec} is not a function`);
  return handler as SqsHandler;
}

/** The parts of Lambda's context the consumer reads: its time left before the timeout. */
function lambdaContext(functionName: string, timeoutSeconds: number, requestId: string): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    functionName,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  } as Context;
}

/** Loads the consumer, then polls; resolves once it polls (a module that does not load fails it). */
export async function startRelay(o: RelayOptions): Promise<Relay> {
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
  const consumer = await loadHandler(o.consumer.handler);
  let running = true;

  async function handleBatch(messages: Message[]): Promise<void> {
    let failed: Set<string>;
    try {
      failed = await invoke(messages);
    } catch (err) {
      // As Lambda reports a function error: the whole batch comes back after its visibility timeout.
      console.error(`relay: ${o.consumer.handler} failed; ${messages.length} messages come back:`, (err as Error).stack);
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

  /** The ids of the messages the consumer reported as failed; throws when it failed as a whole. */
  async function invoke(messages: Message[]): Promise<Set<string>> {
    const event: SQSEvent = {
      Records: messages.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: (m.Attributes ?? {}) as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: o.region,
      })),
    };
    // Lambda stops an invocation at its timeout and the batch comes back; here the work cannot be
    // stopped, but the batch is given up on all the same, so that a hung one never holds a slot.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${o.consumer.timeoutSeconds} s`)), o.consumer.timeoutSeconds * 1000);
    });
    try {
      const answer = await Promise.race([
        consumer(event, lambdaContext(o.consumer.handler, o.consumer.timeoutSeconds, messages[0]!.MessageId!)),
        timedOut,
      ]);
      return new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } finally {
      clearTimeout(timer);
    }
  }

  async function loop(): Promise<void> {
    let emptySince: number | undefined;
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
        emptySince ??= Date.now();
        await sleep(Date.now() - emptySince < IDLE_POLL.quietAfterMs ? IDLE_POLL.ms : IDLE_POLL.quietMs);
        continue;
      }
      emptySince = undefined;
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
 * event source mapping and the consumer paused (messages wait in the queue); it is ready once it polls.
 */
export function relayService(o: RelayOptions & { logsDir: string; env: Record<string, string> }): Service {
  const { logsDir, env, ...options } = o;
  // The consumer's environment is the API's: the same configuration, as serverless-offline gives it.
  const spec = nodeChildSpec('relay', 'relay-main.ts', options, logsDir, { ...process.env, ...env });
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
