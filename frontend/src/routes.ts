// The route table: every page is its own chunk, loaded when first visited.
import { PASSWORD_RESET_ALIAS, PASSWORD_RESET_PATH } from './links';
import type { RouteDef } from './router';

const passwordReset = () => import('./pages/password-reset');

export const routes: readonly RouteDef[] = [
  { pattern: 'feed', access: 'public', load: () => import('./pages/feed') },
  { pattern: 'tasks/new', access: ['customer'], load: () => import('./pages/task-new') },
  { pattern: 'tasks/:id', access: 'public', load: () => import('./pages/task') },
  { pattern: 'my/tasks', access: ['customer', 'executor'], load: () => import('./pages/my-tasks') },
  { pattern: 'balance', access: ['customer'], load: () => import('./pages/balance') },
  { pattern: 'salary', access: ['executor'], load: () => import('./pages/salary') },
  { pattern: 'sessions', access: 'session', load: () => import('./pages/sessions') },
  { pattern: 'settings', access: 'session', load: () => import('./pages/settings') },
  { pattern: 'login', access: 'public', load: () => import('./pages/login') },
  { pattern: 'register', access: 'public', load: () => import('./pages/register') },
  { pattern: 'legal/:kind', access: 'public', load: () => import('./pages/legal') },
  { pattern: PASSWORD_RESET_PATH, access: 'public', load: passwordReset },
  { pattern: PASSWORD_RESET_ALIAS, access: 'public', load: passwordReset },
  { pattern: 'admin/payouts', access: ['admin'], load: () => import('./pages/admin/payouts') },
  { pattern: 'admin/stats', access: ['admin'], load: () => import('./pages/admin/stats') },
  { pattern: 'admin/errors', access: ['admin'], load: () => import('./pages/admin/errors') },
  { pattern: 'admin/jobs', access: ['admin'], load: () => import('./pages/admin/jobs') },
  // trust
  { pattern: 'conversations', access: 'session', load: () => import('./pages/conversations') },
  { pattern: 'conversations/:taskId/:executorId', access: 'session', load: () => import('./pages/conversation') },
  { pattern: 'users/:id', access: 'public', load: () => import('./pages/profile') },
  { pattern: 'admin/appeals', access: ['admin'], load: () => import('./pages/admin/appeals') },
  { pattern: 'admin/accounts', access: ['admin'], load: () => import('./pages/admin/accounts') },
  // deals
  { pattern: 'admin/disputes', access: ['admin'], load: () => import('./pages/admin/disputes') },
];
