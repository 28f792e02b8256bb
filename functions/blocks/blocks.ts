import {
  AdminAppealsQuery,
  AppealBody,
  appealsToReview,
  decideAppeal,
  DecideAppealBody,
  fileAppeal,
  myAppeals,
  MyAppealsQuery,
} from '../../shared/accounts/appeals';
import { BlockBody, blockAccount, UnblockBody, unblockAccount } from '../../shared/accounts/blocks';
import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';

export const block = httpHandler(
  { access: 'admin', params: IdParams, body: BlockBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await blockAccount(db, session.accountId, params.id, body.reason) }),
);

export const unblock = httpHandler(
  { access: 'admin', params: IdParams, body: UnblockBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await unblockAccount(db, session.accountId, params.id, body.comment) }),
);

export const appeal = httpHandler({ access: 'session', body: AppealBody, idempotent: true }, async ({ db, session, body }) => ({
  status: 201,
  body: await fileAppeal(db, session, body.text),
}));

export const myList = httpHandler({ access: 'session', query: MyAppealsQuery }, async ({ db, session, query }) => ({
  status: 200,
  body: await myAppeals(db, session, query),
}));

export const adminList = httpHandler({ access: 'admin', query: AdminAppealsQuery }, async ({ db, query }) => ({
  status: 200,
  body: await appealsToReview(db, query),
}));

export const decide = httpHandler(
  { access: 'admin', params: IdParams, body: DecideAppealBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await decideAppeal(db, session, params.id, body) }),
);
