// Token sessions: created at login, looked up on every authenticated request, listed and revoked by their owner.
import type { RequestDb, Sql } from '../db/request-db';
import { bestEffortWrite } from '../db/best-effort';
import type { GuessWindow } from './auth-failures';
import { notFound } from '../errors';
import { blockOf, type Block, type BlockRow } from './blocks';
import type { Role } from './roles';
import { hashToken, newToken } from './tokens';

export interface Session {
  id: number;
  accountId: number;
  role: Role;
  /** The account's block as of this request: handlers with `refuseBlocked` answer 403 with it. */
  blocked: Block | null;
  /** The session wrote moments ago (`wrote_at`, set by every transaction it runs): this request reads on the primary, to see that write. */
  wroteRecently: boolean;
}

/** Sessions end after this long without activity. */
const IDLE_DAYS = 30;
/** How long after a write a session's reads keep going to the primary (replica lag is well under this). */
const READ_YOUR_WRITES_SECONDS = 5;

export async function createSession(
  tx: Sql,
  accountId: number,
  role: Role,
  ip: string,
  userAgent: string,
): Promise<{ token: string; sessionId: number }> {
  const token = newToken();
  const res = await tx.exec('INSERT INTO session (account_id, role, token_hash, ip, user_agent) VALUES (?, ?, ?, ?, ?)', [
    accountId,
    role,
    hashToken(token),
    ip.slice(0, 45),
    userAgent.slice(0, 255),
  ]);
  return { token, sessionId: res.insertId };
}

/** A bearer token's live session (or null), and the failed authentications of the caller's address this minute. */
export interface TokenLookup {
  session: Session | null;
  failures: number;
}

/**
 * The live session a bearer token names, read on the primary so that a revoked token is dead at
 * once and a block applies to the next request; the account row comes by primary key, and the
 * address's failed authentications (shared/accounts/auth-failures.ts) in the same statement.
 */
export async function sessionByToken(db: RequestDb, token: string, guesses: GuessWindow): Promise<TokenLookup> {
  const [row] = await db.strongRows<
    BlockRow & { id: number | null; accountId: number; role: Role; stale: number; wroteRecently: number; failures: number | null }
  >(
    `SELECT s.id, s.account_id AS accountId, s.role, s.last_active_at < NOW(3) - INTERVAL 1 MINUTE AS stale,
            s.wrote_at > NOW(3) - INTERVAL ${READ_YOUR_WRITES_SECONDS} SECOND AS wroteRecently,
            a.blocked_reason AS blockedReason, a.blocked_at AS blockedAt, g.failures
       FROM (SELECT 1 AS one) always
       LEFT JOIN session s ON s.token_hash = ? AND s.last_active_at > NOW(3) - INTERVAL ${IDLE_DAYS} DAY
       LEFT JOIN account a ON a.id = s.account_id
       LEFT JOIN auth_failure g ON g.ip = ? AND g.minute = ?`,
    [hashToken(token), guesses.ip.slice(0, 45), guesses.minute],
  );
  const failures = Number(row?.failures ?? 0);
  if (!row || row.id === null) return { session: null, failures };
  // Not awaited: the request goes on while the activity is recorded (it is a best-effort write).
  if (row.stale) void touchSession(db, row.id);
  return {
    session: {
      id: row.id,
      accountId: row.accountId,
      role: row.role,
      blocked: blockOf(row),
      wroteRecently: Number(row.wroteRecently) === 1,
    },
    failures,
  };
}

/** Exported for the bench's floor, which records activity as the product does. */
export const ACTIVITY_SQL = 'UPDATE session SET last_active_at = NOW(3) WHERE id = ?';

/** Activity is recorded at most once a minute, and never fails the request (the primary may be down). */
async function touchSession(db: RequestDb, sessionId: number): Promise<void> {
  await bestEffortWrite('session activity', ACTIVITY_SQL, [sessionId], db.log);
}

export interface SessionView {
  id: number;
  role: Role;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}

type SessionRow = { id: number; role: Role; ip: string; userAgent: string; createdAt: Date; lastActiveAt: Date };

const SESSION_VIEW_COLUMNS = 'id, role, ip, user_agent AS userAgent, created_at AS createdAt, last_active_at AS lastActiveAt';

const toView = (r: SessionRow, currentId: number): SessionView => ({
  id: r.id,
  role: r.role,
  ip: r.ip,
  userAgent: r.userAgent,
  createdAt: r.createdAt.toISOString(),
  lastActiveAt: r.lastActiveAt.toISOString(),
  current: r.id === currentId,
});

export async function listSessions(db: RequestDb, session: Session): Promise<SessionView[]> {
  const rows = await db.strongRows<SessionRow>(
    `SELECT ${SESSION_VIEW_COLUMNS} FROM session WHERE account_id = ? AND last_active_at > NOW(3) - INTERVAL ${IDLE_DAYS} DAY
      ORDER BY last_active_at DESC, id DESC`,
    [session.accountId],
  );
  return rows.map((r) => toView(r, session.id));
}

/** One session as its owner sees it, marked current (the one a login has just created). */
export async function currentSessionView(db: RequestDb, sessionId: number): Promise<SessionView> {
  const [row] = await db.strongRows<SessionRow>(`SELECT ${SESSION_VIEW_COLUMNS} FROM session WHERE id = ?`, [sessionId]);
  if (!row) throw new Error(`session ${sessionId} is missing`);
  return toView(row, sessionId);
}

/** Revokes one of the caller's own sessions; another account's session is not found. */
export async function revokeSession(db: RequestDb, session: Session, sessionId: number): Promise<void> {
  const res = await db.exec('DELETE FROM session WHERE id = ? AND account_id = ?', [sessionId, session.accountId]);
  if (res.affectedRows === 0) throw notFound('Session');
}

export async function revokeOtherSessions(tx: Sql, accountId: number, keepSessionId: number | null): Promise<void> {
  await tx.exec('DELETE FROM session WHERE account_id = ? AND id <> ?', [accountId, keepSessionId ?? 0]);
}
