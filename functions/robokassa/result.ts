import { httpHandler } from '../../shared/http/handler';
import { handleRobokassaResult, ResultForm } from '../../shared/payments/payments';

export const handler = httpHandler(
  { access: 'anyone', body: ResultForm, form: true, limits: 'robokassa' },
  async ({ db, body, requestId }) => ({ status: 200, body: await handleRobokassaResult(db, body, requestId) }),
);
