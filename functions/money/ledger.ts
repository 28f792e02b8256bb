import { httpHandler } from '../../shared/http/handler';
import { LedgerQuery, myLedger, StatementQuery, statementCsv } from '../../shared/money/statement';

export const handler = httpHandler({ access: 'session', query: LedgerQuery }, async ({ db, session, query }) => ({
  status: 200,
  body: await myLedger(db, session, query),
}));

export const csv = httpHandler({ access: 'session', query: StatementQuery }, async ({ db, session, query }) => {
  const statement = await statementCsv(db, session, query);
  return {
    status: 200,
    body: statement.csv,
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${statement.filename}"` },
  };
});
