import { z } from 'zod';
import { PageQuery } from '../pagination';
import { Id, text } from '../schemas';
import { MoneyInput } from '../money/kopecks';

/** Every status of a task, declared once (shared/tasks/view.ts derives `TaskStatus`). */
export const TASK_STATUSES = ['actual', 'in_work', 'review', 'done', 'cancelled', 'frozen', 'disputed'] as const;

/** Working time in days (API v2, "Deadlines"). */
const Days = z.number().int().min(1).max(365);

export const CreateTaskBody = z.strictObject({
  title: text(1, 100),
  description: text(1, 1000, true),
  reward: MoneyInput,
  categoryId: Id,
  assignment: z.enum(['first', 'choose']).default('first'),
  days: Days.nullable().default(null),
});

export const FeedQuery = z.strictObject({
  ...PageQuery,
  category: z.union([Id, z.string().regex(/^[a-z0-9-]{2,40}$/)]).optional(),
});

export const MyTasksQuery = z.strictObject({ ...PageQuery, status: z.enum(TASK_STATUSES).optional() });

export const ApplicationsQuery = z.strictObject(PageQuery);

export const SubmitBody = z.strictObject({ comment: text(0, 1000, true).optional() }).default({});
export const CommentBody = z.strictObject({ comment: text(1, 1000, true) });
export const AssignBody = z.union([z.strictObject({ applicationId: Id }), z.strictObject({ executorId: Id })]);

/** An offer (API v2, "Offers"): `price` null means the posted reward, `days` null the task's days. */
const offer = { message: text(1, 1000, true).nullable(), price: MoneyInput.nullable(), days: Days.nullable() };
export const ApplyBody = z
  .strictObject({
    message: offer.message.default(null),
    price: offer.price.default(null),
    days: offer.days.default(null),
  })
  .default({ message: null, price: null, days: null });
export const OfferBody = z.strictObject(offer);

export const ExtendBody = z.strictObject({ days: Days, comment: text(1, 1000, true).optional() });
