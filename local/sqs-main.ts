// The events queue's process (local/sqs.ts, sqsService): the SQS emulator on its port until signalled.
import { childOptions, closeOnSignal } from './node-child';
import { startLocalSqs, type LocalSqsOptions } from './sqs';

void startLocalSqs(childOptions<LocalSqsOptions>()).then((sqs) => {
  console.log(`SQS listening on ${sqs.endpoint}`);
  closeOnSignal(() => sqs.close());
});
