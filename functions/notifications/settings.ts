import { httpHandler } from '../../shared/http/handler';
import { NotificationSettingsBody, notificationSettings, saveNotificationSettings } from '../../shared/notifications/settings';

export const get = httpHandler({ access: 'session' }, async ({ db, session }) => ({
  status: 200,
  body: await notificationSettings(db, session.accountId),
}));

export const put = httpHandler({ access: 'session', body: NotificationSettingsBody }, async ({ db, session, body }) => ({
  status: 200,
  body: await saveNotificationSettings(db, session.accountId, body),
}));
