import { z } from 'zod';
import { PageQuery } from '../http/pagination';
import { Id, text } from '../http/schemas';
import { MoneyInput } from '../money/kopecks';

const STATUSES = ['actual', 'in_work', 'review', 'done', 'cancelled', 'frozen'] as const;

export const CreateTaskBody = z.strictObject({
  title: text(1, 100),
  description: text(1, 1000, true),
  reward: MoneyInput,
  categoryId: Id,
  assignment: z.enum(['first', 'choose']).default('first'),
});

export const FeedQuery = z.strictObject({
  ...PageQuery,
  category: z.union([Id, z.string().regex(/^[a-z0-9-]{2,40}$/)]).optional(),
});

export const MyTasksQuery = z.strictObject({ ...PageQuery, status: z.enum(STATUSES).optional() });

export const ApplicationsQuery = z.strictObject(PageQuery);

export const SubmitBody = z.strictObject({ comment: text(0, 1000, true).optional() }).default({});
export const CommentBody = z.strictObject({ comment: text(1, 1000, true) });
export const AssignBody = z.strictObject({ executorId: Id });
