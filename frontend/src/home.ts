// Where the site starts, and where a log in lands: the pages and the route table both use it.
import type { Role } from './api/types';

export const HOME = '/feed';

/** Where a fresh log in lands when it was not sent from a page. */
export function homeFor(role: Role): string {
  if (role === 'customer') return '/my/tasks';
  if (role === 'admin') return '/admin/payouts';
  return '/feed';
}
