import { myConversations } from '../../shared/conversations/list';
import { ConversationsQuery } from '../../shared/conversations/schemas';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({ access: 'session', query: ConversationsQuery }, async ({ db, session, query }) => ({
  status: 200,
  body: await myConversations(db, session, query),
}));
