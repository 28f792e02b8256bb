import { login, LoginBody } from '../../shared/accounts/accounts';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({ access: 'anyone', body: LoginBody }, async ({ db, body, ip, userAgent }) => ({
  status: 201,
  body: await login(db, body, ip, userAgent),
}));
