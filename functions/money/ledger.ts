import { httpHandler } from '../../shared/http/handler';
import { LedgerQuery, myLedger } from '../../shared/money/views';

export const handler = httpHandler({ access: 'session', query: LedgerQuery },
  async ({ db, session, query }) => ({ status: 200, body: await myLedger(db, session, query) }));
