// The operator's views: handler-time percentiles per route and the error log.
import { z } from 'zod';
import type { Sql } from '../db/request-db';
import { idBefore, PageQuery, toPage, type Page } from '../pagination';
import { percentileOf } from './latency-histogram';

export const StatsQuery = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
});

export interface RouteStats {
  route: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Per route over the last `hours` whole hours and the current one (the buckets are hourly), from
 * the pre-aggregated histogram: the read is bounded by hours × routes × buckets, never by traffic.
 */
export async function routeStats(db: Sql, hours: number): Promise<{ hours: number; items: RouteStats[] }> {
  const since = new Date(Math.floor(Date.now() / 3_600_000 - hours) * 3_600_000);
  const rows = await db.rows<{ route: string; bucket: number; count: string | number }>(
    `SELECT route, bucket, SUM(count) AS count FROM request_stat_bucket
      WHERE hour_start >= ? GROUP BY route, bucket ORDER BY route`,
    [since],
  );
  const byRoute = new Map<string, [number, number][]>();
  for (const r of rows) {
    const counts = byRoute.get(r.route) ?? [];
    counts.push([r.bucket, Number(r.count)]);
    byRoute.set(r.route, counts);
  }
  return {
    hours,
    items: [...byRoute].map(([route, counts]) => ({
      route,
      count: counts.reduce((sum, [, n]) => sum + n, 0),
      p50: percentileOf(counts, 0.5),
      p95: percentileOf(counts, 0.95),
      p99: percentileOf(counts, 0.99),
    })),
  };
}

export const ErrorsQuery = z.strictObject(PageQuery);

export interface ErrorView {
  id: number;
  requestId: string;
  route: string;
  message: string;
  createdAt: string;
}

export async function recentErrors(db: Sql, query: z.output<typeof ErrorsQuery>): Promise<Page<ErrorView>> {
  const before = idBefore(query.cursor);
  const rows = await db.rows<{ id: number; requestId: string; route: string; message: string; createdAt: Date }>(
    `SELECT id, request_id AS requestId, route, message, created_at AS createdAt
       FROM error_log WHERE id < ? ORDER BY id DESC LIMIT ?`,
    [before, query.limit + 1],
  );
  return toPage(
    rows,
    query.limit,
    (r) => [r.id],
    (r) => ({ ...r, id: Number(r.id), createdAt: r.createdAt.toISOString() }),
  );
}
