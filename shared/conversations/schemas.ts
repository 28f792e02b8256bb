import { z } from 'zod';
import { PageQuery } from '../http/pagination';
import { Id, text } from '../http/schemas';

export const PostMessageBody = z.strictObject({ text: text(1, 2000, true), executorId: Id.optional() });
export const MessagesQuery = z.strictObject({ ...PageQuery, executorId: Id.optional() });
export const ConversationsQuery = z.strictObject(PageQuery);
