import { httpHandler } from '../../shared/http/handler';
import { handleTelegramUpdate, TelegramUpdate } from '../../shared/notifications/telegram-link';

export const handler = httpHandler({ access: 'anyone', body: TelegramUpdate }, async ({ db, body, headers }) => ({
  status: 200,
  body: await handleTelegramUpdate(db, headers['x-telegram-bot-api-secret-token'], body),
}));
