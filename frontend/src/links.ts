// Links that leave the site in e-mails and come back. The backend builds them the same way:
//   password reset: `${SITE_URL}/?token=${encodeURIComponent(token)}#/password-reset`, the token a
//   real query parameter (links mailed before, `#/password-reset?token=…` and `#/reset?token=`, still work).

export const PASSWORD_RESET_PATH = 'password-reset';
export const PASSWORD_RESET_ALIAS = 'reset';

/** The reset token of the link (the page's query first, then the route's), or null on the request form. */
export function resetTokenFrom(query: URLSearchParams, pageQuery = new URLSearchParams(location.search)): string | null {
  const token = (pageQuery.get('token') ?? query.get('token'))?.trim();
  return token ? token : null;
}

/** What Robokassa's success/fail redirects may append: `#/balance?payment=success|fail`. */
export function paymentReturnFrom(query: URLSearchParams): 'success' | 'fail' | null {
  const value = query.get('payment');
  return value === 'success' || value === 'fail' ? value : null;
}
