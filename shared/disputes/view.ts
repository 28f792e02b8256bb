// Disputes as the contract shows them (API v2, "Disputes").
import type { Party } from '../accounts/roles';
import type { Sql } from '../db/request-db';
import { formatMoney, toKopecks } from '../money/kopecks';

export const DISPUTE_STATUSES = ['awaiting_response', 'awaiting_admin', 'resolved', 'withdrawn'] as const;
type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export type ResolutionBy = 'agreement' | 'timeout' | 'admin';

export interface DisputeRow {
  id: number;
  taskId: number;
  openedBy: Party;
  reason: string;
  customerAmount: string | null;
  executorAmount: string | null;
  status: DisputeStatus;
  taskFrom: 'in_work' | 'review';
  respondBy: Date;
  resolutionAmount: string | null;
  resolutionBy: ResolutionBy | null;
  resolutionComment: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export const DISPUTE_COLUMNS = `id, task_id AS taskId, opened_by AS openedBy, reason, customer_amount AS customerAmount,
  executor_amount AS executorAmount, status, task_from AS taskFrom, respond_by AS respondBy,
  resolution_amount AS resolutionAmount, resolution_by AS resolutionBy, resolution_comment AS resolutionComment,
  created_at AS createdAt, resolved_at AS resolvedAt`;

/** A dispute as shown, with its task's title, held reward and the commission a settlement kept (null before one, or at E = 0). */
export type ShownDisputeRow = DisputeRow & { taskTitle: string; taskReward: string; taskCommission: string | null };

/** The disputes matching `where` (on the dispute table, which may order and limit), each with its task's figures. */
export const shownDisputes = (where: string): string =>
  `SELECT d.*, t.title AS taskTitle, t.reward AS taskReward, t.commission AS taskCommission
     FROM (SELECT ${DISPUTE_COLUMNS} FROM dispute WHERE ${where}) d JOIN task t ON t.id = d.taskId`;

export interface DisputeView {
  id: number;
  taskId: number;
  openedBy: Party;
  reason: string;
  proposals: { customer: string | null; executor: string | null };
  status: DisputeStatus;
  respondBy: string;
  /** `executorEarned` (E less commission) and `customerRefund` (R − E) are the money each side got. */
  resolution: { executorAmount: string; executorEarned: string; customerRefund: string; by: ResolutionBy; comment: string | null } | null;
  createdAt: string;
  resolvedAt: string | null;
}

const money = (decimal: string | null) => (decimal === null ? null : formatMoney(toKopecks(decimal)));

export function toDisputeView(r: ShownDisputeRow): DisputeView {
  return {
    id: r.id,
    taskId: r.taskId,
    openedBy: r.openedBy,
    reason: r.reason,
    proposals: { customer: money(r.customerAmount), executor: money(r.executorAmount) },
    status: r.status,
    respondBy: r.respondBy.toISOString(),
    resolution:
      r.resolutionBy && r.resolutionAmount !== null
        ? {
            executorAmount: money(r.resolutionAmount)!,
            executorEarned: formatMoney(toKopecks(r.resolutionAmount) - toKopecks(r.taskCommission ?? '0')),
            customerRefund: formatMoney(toKopecks(r.taskReward) - toKopecks(r.resolutionAmount)),
            by: r.resolutionBy,
            comment: r.resolutionComment,
          }
        : null,
    createdAt: r.createdAt.toISOString(),
    resolvedAt: r.resolvedAt ? r.resolvedAt.toISOString() : null,
  };
}

/** The latest dispute of each task (null for a task that never had one). */
export async function latestDisputes(db: Sql, taskIds: number[]): Promise<Map<number, DisputeView | null>> {
  const latest = new Map<number, DisputeView | null>(taskIds.map((id) => [id, null]));
  if (taskIds.length === 0) return latest;
  const rows = await db.rows<ShownDisputeRow>(shownDisputes('id IN (SELECT MAX(id) FROM dispute WHERE task_id IN (?) GROUP BY task_id)'), [
    taskIds,
  ]);
  for (const r of rows) latest.set(r.taskId, toDisputeView(r));
  return latest;
}
