import { z } from 'zod';
import { PageQuery } from '../pagination';
import { text } from '../schemas';
import { MoneyOrZeroInput as DisputeAmount } from '../money/kopecks';
import { DISPUTE_STATUSES } from './view';

export const OpenDisputeBody = z.strictObject({ reason: text(1, 2000, true), executorAmount: DisputeAmount });
export const RespondBody = z.strictObject({ executorAmount: DisputeAmount, comment: text(1, 2000, true).optional() });
export const DecideBody = z.strictObject({ executorAmount: DisputeAmount, comment: text(1, 2000, true) });
export const AdminDisputesQuery = z.strictObject({ ...PageQuery, status: z.enum(DISPUTE_STATUSES).optional() });
