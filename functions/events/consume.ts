import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSEvent } from 'aws-lambda';
import { handleRecord, SEND_MARGIN_MS } from '../../shared/notifications/consumer';

/** SQS (the events queue), batches of up to ten: each failed record is reported, the rest deleted. */
export const handler = middy(async (event: SQSEvent, context: Context) => {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - SEND_MARGIN_MS;
  return Promise.allSettled(event.Records.map((record) => handleRecord(record, deadline)));
})
  .use(sqsPartialBatchFailure({ logger: (reason, record) => console.error(`message ${record.messageId} failed:`, (reason as Error)?.message ?? reason) }));
