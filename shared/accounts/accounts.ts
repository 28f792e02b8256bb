// Registration, login and the account's own view of itself.
import { z } from 'zod';
import type { RequestDb, Sql } from '../db/request-db';
import { conflict, forbidden, invalidCredentials, notFound } from '../errors';
import { text } from '../schemas';
import { formatMoney, toKopecks } from '../money/kopecks';
import { BLOCK_COLUMNS, blockOf, type Block, type BlockRow } from './blocks';
import { consentRequired, consentsInForceSql, ConsentsInput, recordConsents } from './consents';
import { hashPassword, passwordMatches } from './passwords';
import { spendResetLinks } from './reset-links';
import { createSession, currentSessionView, revokeOtherSessions, type Session, type SessionView } from './sessions';
import { ROLES, type Role } from './roles';

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const Password = z.string().min(8).max(128);

export const RegisterBody = z.strictObject({
  email: Email,
  password: Password,
  fname: text(1, 30),
  sname: text(1, 30),
  phone: z.string().regex(/^\+\d{10,15}$/, 'must be + and 10..15 digits'),
  /** 152-FZ: the versions of the terms and of the personal-data policy the person agreed to, each on its own. */
  consents: ConsentsInput.optional(),
});

export const LoginBody = z.strictObject({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(128),
  role: z.enum(ROLES),
});

export const ChangePasswordBody = z.strictObject({ currentPassword: z.string().max(128), newPassword: Password });

export interface AccountView {
  id: number;
  email: string;
  fname: string;
  sname: string;
  phone: string;
}

const DUPLICATE = 1062;

export async function register(
  db: RequestDb,
  input: z.output<typeof RegisterBody>,
  client: { ip: string; userAgent: string },
): Promise<AccountView> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const res = await tx.exec('INSERT INTO account (email, password_hash, fname, sname, phone) VALUES (?, ?, ?, ?, ?)', [
        input.email,
        passwordHash,
        input.fname,
        input.sname,
        input.phone,
      ]);
      if (input.consents) await recordConsents(tx, res.insertId, input.consents, client, 'consents.');
      return { id: res.insertId, email: input.email, fname: input.fname, sname: input.sname, phone: input.phone };
    });
  } catch (err) {
    if ((err as { errno?: number }).errno === DUPLICATE) throw conflict('email_taken', 'An account with this email already exists');
    throw err;
  }
}

interface AccountRow extends AccountView, BlockRow {
  passwordHash: string;
  isAdmin: number;
}

const ACCOUNT_COLUMNS = `id, email, fname, sname, phone, password_hash AS passwordHash, is_admin AS isAdmin, ${BLOCK_COLUMNS}`;

export async function login(
  db: RequestDb,
  input: z.output<typeof LoginBody>,
  ip: string,
  userAgent: string,
): Promise<{ token: string; session: SessionView; account: AccountView & { blocked: Block | null } }> {
  const [row] = await db.strongRows<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM account WHERE email = ?`, [input.email]);
  if (!(await passwordMatches(input.password, row?.passwordHash)) || !row) throw invalidCredentials();
  if (input.role === 'admin' && !row.isAdmin) throw forbidden('This account is not an administrator');
  const { token, sessionId } = await createSession(db, row.id, input.role, ip, userAgent);
  return { token, session: await currentSessionView(db, sessionId), account: { ...accountView(row), blocked: blockOf(row) } };
}

export interface MeView extends AccountView {
  role: Role;
  balance: string;
  balanceHeld: string;
  salary: string;
  salaryHeld: string;
  blocked: Block | null;
  /** The account has not agreed to the current version of the terms or of the personal-data policy. */
  consentRequired: boolean;
}

export async function me(db: Sql, session: Session): Promise<MeView> {
  const [row] = await db.rows<AccountView & { balance: string; balanceHeld: string; salary: string; salaryHeld: string; consents: number }>(
    `SELECT id, email, fname, sname, phone, balance, balance_held AS balanceHeld, salary, salary_held AS salaryHeld,
            ${consentsInForceSql('account.id')} AS consents
       FROM account WHERE id = ?`,
    [session.accountId],
  );
  if (!row) throw notFound('Account');
  const money = (v: string) => formatMoney(toKopecks(v));
  return {
    ...accountView(row),
    role: session.role,
    balance: money(row.balance),
    balanceHeld: money(row.balanceHeld),
    salary: money(row.salary),
    salaryHeld: money(row.salaryHeld),
    // As the session lookup read it on the primary, the same block the refusals go by (the replica may lag).
    blocked: session.blocked,
    consentRequired: consentRequired(row.consents),
  };
}

/** Changes the password after checking the current one; every other session and every open reset link of the account end. */
export async function changePassword(db: RequestDb, session: Session, input: z.output<typeof ChangePasswordBody>): Promise<void> {
  const [row] = await db.strongRows<{ passwordHash: string }>('SELECT password_hash AS passwordHash FROM account WHERE id = ?', [
    session.accountId,
  ]);
  if (!(await passwordMatches(input.currentPassword, row?.passwordHash))) throw invalidCredentials();
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.exec('UPDATE account SET password_hash = ? WHERE id = ?', [passwordHash, session.accountId]);
    await revokeOtherSessions(tx, session.accountId, session.id);
    await spendResetLinks(tx, session.accountId);
  });
}

function accountView(row: AccountView): AccountView {
  return { id: row.id, email: row.email, fname: row.fname, sname: row.sname, phone: row.phone };
}
