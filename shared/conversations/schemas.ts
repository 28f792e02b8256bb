import { z } from 'zod';
import { cursorParam, CursorId, PageQuery } from '../pagination';
import { Id, text } from '../schemas';

export const PostMessageBody = z.strictObject({ text: text(1, 2000, true), executorId: Id.optional() });
export const MessagesQuery = z.strictObject({ ...PageQuery, executorId: Id.optional() });
/** Conversations page by their latest activity, then id: the cursor carries both. */
export const ConversationsQuery = z.strictObject({ ...PageQuery, cursor: cursorParam(z.iso.datetime(), CursorId).optional() });
