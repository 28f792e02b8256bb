// Appeals against a block: a blocked account files one at a time, an administrator decides it.
// `lifted` ends the block in the same transaction; either decision is a notification.
import { z } from 'zod';
import { accountNames } from '../cache/names';
import { config } from '../config';
import type { RequestDb, Sql, Tx } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { conflict, invalidState, notFound } from '../errors';
import { idAfter, idBefore, PageQuery, toPage, type Page } from '../pagination';
import { text } from '../schemas';
import { liftBlock, lockBlock } from './blocks';
import type { Session } from './sessions';

const APPEAL_STATUSES = ['open', 'upheld', 'lifted'] as const;
type AppealStatus = (typeof APPEAL_STATUSES)[number];

export const AppealBody = z.strictObject({ text: text(1, 2000, true) });
export const DecideAppealBody = z.strictObject({ decision: z.enum(['upheld', 'lifted']), comment: text(1, 1000, true) });
export const MyAppealsQuery = z.strictObject(PageQuery);
export const AdminAppealsQuery = z.strictObject({ ...PageQuery, status: z.enum(APPEAL_STATUSES).default('open') });

export interface AppealView {
  id: number;
  account: { id: number; name: string };
  text: string;
  status: AppealStatus;
  answer: string | null;
  answerBy: string;
  createdAt: string;
  decidedAt: string | null;
}

interface AppealRow {
  id: number;
  accountId: number;
  text: string;
  status: AppealStatus;
  answer: string | null;
  answerBy: Date;
  createdAt: Date;
  decidedAt: Date | null;
}

const APPEAL_COLUMNS = `id, account_id AS accountId, text, status, answer, answer_by AS answerBy,
  created_at AS createdAt, decided_at AS decidedAt`;

async function appealViews(db: Sql, rows: AppealRow[]): Promise<Map<number, AppealView>> {
  const names = await accountNames(
    db,
    rows.map((r) => r.accountId),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        account: { id: r.accountId, name: names.get(r.accountId) ?? '' },
        text: r.text,
        status: r.status,
        answer: r.answer,
        answerBy: r.answerBy.toISOString(),
        createdAt: r.createdAt.toISOString(),
        decidedAt: r.decidedAt?.toISOString() ?? null,
      },
    ]),
  );
}

async function pageOfAppeals(db: Sql, rows: AppealRow[], limit: number): Promise<Page<AppealView>> {
  const views = await appealViews(db, rows.slice(0, limit));
  return toPage(
    rows,
    limit,
    (r) => [r.id],
    (r) => views.get(r.id)!,
  );
}

async function loadAppeal(tx: Tx, appealId: number): Promise<AppealView> {
  const rows = await tx.rows<AppealRow>(`SELECT ${APPEAL_COLUMNS} FROM appeal WHERE id = ?`, [appealId]);
  const view = (await appealViews(tx, rows)).get(appealId);
  if (!view) throw notFound('Appeal');
  return view;
}

export async function fileAppeal(db: RequestDb, session: Session, appealText: string): Promise<AppealView> {
  return db.transaction(async (tx) => {
    // The account's row lock serialises two appeals filed at once; the unique key is the backstop.
    if (!(await lockBlock(tx, session.accountId))) throw invalidState('The account is not blocked: there is nothing to appeal');
    const [open] = await tx.rows('SELECT id FROM appeal WHERE account_id = ? AND status = ?', [session.accountId, 'open']);
    if (open) throw conflict('conflict', 'An appeal of this account is already open');
    const res = await tx.exec('INSERT INTO appeal (account_id, text, answer_by) VALUES (?, ?, NOW(3) + INTERVAL ? SECOND)', [
      session.accountId,
      appealText,
      Math.round(config.APPEAL_ANSWER_DAYS * 86_400),
    ]);
    return loadAppeal(tx, res.insertId);
  });
}

/** The caller's own appeals, newest first. */
export async function myAppeals(db: RequestDb, session: Session, query: z.output<typeof MyAppealsQuery>): Promise<Page<AppealView>> {
  const rows = await db.rows<AppealRow>(`SELECT ${APPEAL_COLUMNS} FROM appeal WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, [
    session.accountId,
    idBefore(query.cursor),
    query.limit + 1,
  ]);
  return pageOfAppeals(db, rows, query.limit);
}

/** The administrators' queue: oldest first. */
export async function appealsToReview(db: RequestDb, query: z.output<typeof AdminAppealsQuery>): Promise<Page<AppealView>> {
  const rows = await db.strongRows<AppealRow>(`SELECT ${APPEAL_COLUMNS} FROM appeal WHERE status = ? AND id > ? ORDER BY id ASC LIMIT ?`, [
    query.status,
    idAfter(query.cursor),
    query.limit + 1,
  ]);
  return pageOfAppeals(db, rows, query.limit);
}

export async function decideAppeal(
  db: RequestDb,
  admin: Session,
  appealId: number,
  input: z.output<typeof DecideAppealBody>,
): Promise<AppealView> {
  const [found] = await db.strongRows<{ accountId: number }>('SELECT account_id AS accountId FROM appeal WHERE id = ?', [appealId]);
  if (!found) throw notFound('Appeal');
  return db.transaction(async (tx) => {
    await lockBlock(tx, found.accountId);
    const [appeal] = await tx.rows<{ status: AppealStatus }>('SELECT status FROM appeal WHERE id = ? FOR UPDATE', [appealId]);
    if (appeal?.status !== 'open') throw invalidState(`The appeal is already ${appeal?.status}`);
    if (input.decision === 'lifted') await liftBlock(tx, found.accountId, admin.accountId, input.comment);
    else {
      await tx.exec(`UPDATE appeal SET status = 'upheld', answer = ?, decided_by = ?, decided_at = NOW(3) WHERE id = ?`, [
        input.comment,
        admin.accountId,
        appealId,
      ]);
    }
    await enqueue(tx, { type: 'appeal_decided', appealId, accountId: found.accountId });
    return loadAppeal(tx, appealId);
  });
}
