import { z } from 'zod';
import { PARTIES } from '../accounts/roles';
import { PageQuery } from '../pagination';
import { text } from '../schemas';

export const ReviewBody = z.strictObject({ rating: z.number().int().min(1).max(5), text: text(0, 1000, true).default('') });
export const HideReviewBody = z.strictObject({ reason: text(1, 500, true) });
export const AccountReviewsQuery = z.strictObject({ ...PageQuery, role: z.enum(PARTIES).optional() });
