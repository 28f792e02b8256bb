import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { log, LogScope } from '../../shared/log';
import { gatheredDeliveries, handleRecord, SEND_MARGIN_MS } from '../../shared/notifications/consumer';

/** SQS (the events queue), batches of up to ten: each failed record is reported, the rest deleted; the records' new jobs are queued together. */
export const handler = middy(async (event: SQSEvent, context: Context) => {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - SEND_MARGIN_MS;
  const deliveries = gatheredDeliveries(event.Records.length);
  return Promise.allSettled(
    event.Records.map((record) => {
      const scope = new LogScope();
      scope.tag({ requestId: record.messageId, route: 'SQS events' });
      return handleRecord(record, deadline, deliveries, scope);
    }),
  );
}).use(
  sqsPartialBatchFailure({
    logger: (reason: unknown, record: SQSRecord) => log.error('message failed', reason, { messageId: record.messageId }),
  }),
);
