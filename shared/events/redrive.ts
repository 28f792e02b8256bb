/**
 * The events queue's maxReceiveCount: the receive after which SQS dead-letters a message. No
 * imports, so that the launcher's queue emulator (local/sqs.ts) takes it from here too; the
 * template's copy (serverless/queue.yml) is checked against it by test/infra/package.test.ts.
 */
export const MAX_RECEIVES = 5;
