import { httpHandler } from '../../shared/http/handler';
import { health } from '../../shared/ops/health';

export const handler = httpHandler({ access: 'anyone' }, async () => ({ status: 200, body: await health() }));
