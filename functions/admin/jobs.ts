import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { JobsQuery, listJobs, retryJob } from '../../shared/notifications/jobs';

export const list = httpHandler({ access: 'admin', query: JobsQuery }, async ({ db, query }) => ({
  status: 200,
  body: await listJobs(db, query),
}));

export const retry = httpHandler({ access: 'admin', params: IdParams, idempotent: true }, async ({ db, params }) => ({
  status: 200,
  body: await retryJob(db, params.id),
}));
