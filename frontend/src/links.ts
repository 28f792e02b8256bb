// Links that leave the site in e-mails and come back. The backend builds them the same way:
//   password reset: `${SITE_URL}/#/password-reset?token=${encodeURIComponent(token)}`
// (`#/reset?token=` is accepted too).

export const PASSWORD_RESET_PATH = 'password-reset';
export const PASSWORD_RESET_ALIAS = 'reset';

/** The reset token of a `#/password-reset?token=…` link, or null on the request form. */
export function resetTokenFrom(query: URLSearchParams): string | null {
  const token = query.get('token')?.trim();
  return token ? token : null;
}

/** What Robokassa's success/fail redirects may append: `#/balance?payment=success|fail`. */
export function paymentReturnFrom(query: URLSearchParams): 'success' | 'fail' | null {
  const value = query.get('payment');
  return value === 'success' || value === 'fail' ? value : null;
}
