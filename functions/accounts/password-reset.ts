import { confirmPasswordReset, ConfirmResetBody, PasswordResetBody, requestPasswordReset } from '../../shared/accounts/password-reset';
import { httpHandler } from '../../shared/http/handler';

export const request = httpHandler({ access: 'anyone', body: PasswordResetBody }, async ({ db, body }) => {
  await requestPasswordReset(db, body);
  return { status: 202 };
});

export const confirm = httpHandler({ access: 'anyone', body: ConfirmResetBody }, async ({ db, body }) => {
  await confirmPasswordReset(db, body);
  return { status: 204 };
});
