// The operator's views: handler-time percentiles per route and the error log.
import { z } from 'zod';
import type { Sql } from '../db/request-db';
import { PageQuery, toPage, type Page } from '../http/pagination';

export const StatsQuery = z.strictObject({ hours: z.coerce.number().int().min(1).max(24 * 30).default(24) });

export interface RouteStats { route: string; count: number; p50: number; p95: number; p99: number }

export async function routeStats(db: Sql, hours: number): Promise<{ hours: number; items: RouteStats[] }> {
  const rows = await db.rows<{ route: string; count: number; p50: string; p95: string; p99: string }>(
    `SELECT DISTINCT route,
            COUNT(*) OVER (PARTITION BY route) AS count,
            PERCENTILE_CONT(0.50) WITHIN GROUP (ORDER BY duration_ms) OVER (PARTITION BY route) AS p50,
            PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY duration_ms) OVER (PARTITION BY route) AS p95,
            PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY duration_ms) OVER (PARTITION BY route) AS p99
       FROM request_stat WHERE created_at >= NOW(3) - INTERVAL ? HOUR
      ORDER BY route`, [hours]);
  const ms = (v: string) => Math.round(Number(v) * 1000) / 1000;
  return { hours, items: rows.map((r) => ({ route: r.route, count: Number(r.count), p50: ms(r.p50), p95: ms(r.p95), p99: ms(r.p99) })) };
}

export const ErrorsQuery = z.strictObject(PageQuery);

export interface ErrorView { id: number; requestId: string; route: string; message: string; createdAt: string }

export async function recentErrors(db: Sql, query: z.output<typeof ErrorsQuery>): Promise<Page<ErrorView>> {
  const before = query.cursor ? Number(query.cursor[0]) : Number.MAX_SAFE_INTEGER;
  const rows = await db.rows<{ id: number; requestId: string; route: string; message: string; createdAt: Date }>(
    `SELECT id, request_id AS requestId, route, message, created_at AS createdAt
       FROM error_log WHERE id < ? ORDER BY id DESC LIMIT ?`, [before, query.limit + 1]);
  return toPage(rows, query.limit, (r) => [r.id], (r) => ({ ...r, id: Number(r.id), createdAt: r.createdAt.toISOString() }));
}
