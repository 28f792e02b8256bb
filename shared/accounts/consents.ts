// Consent to the terms and to the processing of personal data (152-FZ): two separate acts, each
// recorded with its time and address, and asked again when the text's version changes. The
// versions live in `legal_version` (the texts are pages of the site).
import { z } from 'zod';
import { config } from '../config';
import type { RequestDb, Sql } from '../db/request-db';
import { validationFailed, type ErrorDetail } from '../errors';

const LEGAL_KINDS = ['terms', 'personalData'] as const;
type LegalKind = (typeof LEGAL_KINDS)[number];

const Version = z.string().trim().min(1).max(20);

/** What a person agreed to: the version of each text they ticked (either may be absent). */
export const ConsentsInput = z.strictObject({ terms: Version.optional(), personalData: Version.optional() });
export const GiveConsentsBody = ConsentsInput.refine((c) => c.terms !== undefined || c.personalData !== undefined, {
  message: 'give terms, personalData or both',
});
export type ConsentsInput = z.output<typeof ConsentsInput>;

export type LegalVersions = Record<LegalKind, { version: string; url: string }>;

/** The current version of each text: the latest one published by now. */
export async function legalVersions(db: Sql): Promise<LegalVersions> {
  const rows = await db.rows<{ kind: LegalKind; version: string; url: string }>(
    `SELECT v.kind, v.version, v.url FROM legal_version v
      WHERE v.published_at = (SELECT MAX(w.published_at) FROM legal_version w WHERE w.kind = v.kind AND w.published_at <= NOW(3))`,
  );
  const site = config.SITE_URL.replace(/\/+$/, '');
  const current = Object.fromEntries(rows.map((r) => [r.kind, { version: r.version, url: `${site}${r.url}` }]));
  for (const kind of LEGAL_KINDS) if (!current[kind]) throw new Error(`no published ${kind} version in legal_version`);
  return current as LegalVersions;
}

export interface ConsentView {
  kind: LegalKind;
  version: string;
  at: string;
  ip: string;
}

/**
 * Records the consents given, each only for the current version of its text (an older one is
 * 400: the person saw a text that is no longer the one in force). `path` names the field for errors.
 */
export async function recordConsents(
  db: Sql,
  accountId: number,
  given: ConsentsInput,
  client: { ip: string; userAgent: string },
  path = '',
): Promise<void> {
  const current = await legalVersions(db);
  const issues: ErrorDetail[] = [];
  const rows: unknown[][] = [];
  for (const kind of LEGAL_KINDS) {
    const version = given[kind];
    if (version === undefined) continue;
    if (version !== current[kind].version)
      issues.push({ path: `${path}${kind}`, message: `is not the current version (${current[kind].version})` });
    else rows.push([accountId, kind, version, client.ip.slice(0, 45), client.userAgent.slice(0, 255)]);
  }
  if (issues.length > 0) throw validationFailed(issues);
  if (rows.length > 0) await db.exec('INSERT INTO consent (account_id, kind, version, ip, user_agent) VALUES ?', [rows]);
}

/** Every consent the account gave, newest first. */
export async function consentsOf(db: Sql, accountId: number): Promise<{ items: ConsentView[] }> {
  const rows = await db.rows<{ kind: LegalKind; version: string; at: Date; ip: string }>(
    'SELECT kind, version, created_at AS at, ip FROM consent WHERE account_id = ? ORDER BY id DESC LIMIT 1000',
    [accountId],
  );
  return { items: rows.map((r) => ({ kind: r.kind, version: r.version, at: r.at.toISOString(), ip: r.ip })) };
}

/**
 * How many of the texts in force the account `accountColumn` names has consented to, as one SQL
 * expression: a query can answer it beside what else it reads (GET /api/me, in one statement).
 */
export const consentsInForceSql = (accountColumn: string) => `(SELECT COUNT(DISTINCT c.kind) FROM consent c
    JOIN legal_version v ON v.kind = c.kind AND v.version = c.version
   WHERE c.account_id = ${accountColumn}
     AND v.published_at = (SELECT MAX(w.published_at) FROM legal_version w WHERE w.kind = v.kind AND w.published_at <= NOW(3)))`;

/** True while the account lacks consent to the current version of either text (from consentsInForceSql). */
export const consentRequired = (consentsInForce: number | string): boolean => Number(consentsInForce) < LEGAL_KINDS.length;

/** POST /api/me/consents: records what was given and answers the whole list. */
export async function giveConsents(
  db: RequestDb,
  accountId: number,
  given: ConsentsInput,
  client: { ip: string; userAgent: string },
): Promise<{ items: ConsentView[] }> {
  await recordConsents(db.strong, accountId, given, client);
  return consentsOf(db.strong, accountId);
}
