import { listMessages, postMessage } from '../../shared/conversations/messages';
import { MessagesQuery, PostMessageBody } from '../../shared/conversations/schemas';
import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';

export const post = httpHandler(
  { access: ['customer', 'executor'], params: IdParams, body: PostMessageBody, idempotent: true, refuseBlocked: true },
  async ({ db, session, params, body }) => ({ status: 201, body: await postMessage(db, session, params.id, body) }),
);

export const list = httpHandler({ access: 'session', params: IdParams, query: MessagesQuery }, async ({ db, session, params, query }) => ({
  status: 200,
  body: await listMessages(db, session, params.id, query),
}));
