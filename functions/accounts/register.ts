import { register, RegisterBody } from '../../shared/accounts/accounts';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({ access: 'anyone', body: RegisterBody }, async ({ db, body, ip, userAgent }) => ({
  status: 201,
  body: await register(db, body, { ip, userAgent }),
}));
