// Every endpoint the site calls, in the contract's order. Pages never spell a URL themselves.
import { request } from './client';
import type {
  Account,
  Application,
  Category,
  CreatedPayment,
  ErrorLogEntry,
  Job,
  LedgerCheck,
  LedgerEntry,
  LegalVersions,
  LoginAnswer,
  Me,
  NotificationSettings,
  Page,
  Payment,
  Payout,
  PayoutMethod,
  Role,
  SessionInfo,
  Task,
} from './types';
import type { Dispute, DisputeStatus, QueuedDispute } from './types';

type Signal = AbortSignal | undefined;
type Cursor = string | null;
const PAGE_SIZE = 20;

// Accounts and sessions
export const register = (body: {
  email: string;
  password: string;
  fname: string;
  sname: string;
  phone: string;
  consents?: { terms?: string; personalData?: string };
}) => request<Account>('POST', '/api/accounts', { body });
export const legalVersions = (signal?: AbortSignal) => request<LegalVersions>('GET', '/api/legal', { signal });
export const giveConsents = (body: { terms?: string; personalData?: string }) => request<unknown>('POST', '/api/me/consents', { body });
export const login = (body: { email: string; password: string; role: Role }) => request<LoginAnswer>('POST', '/api/sessions', { body });
export const listSessions = (signal?: Signal) => request<Page<SessionInfo>>('GET', '/api/sessions', { signal });
export const revokeSession = (id: number) => request<void>('DELETE', `/api/sessions/${id}`);
export const logout = () => request<void>('DELETE', '/api/sessions/current');
export const logoutToken = (token: string) => request<void>('DELETE', '/api/sessions/current', { token });
export const getMe = (signal?: Signal) => request<Me>('GET', '/api/me', { signal });
export const changePassword = (body: { currentPassword: string; newPassword: string }) =>
  request<void>('PUT', '/api/me/password', { body });
export const requestPasswordReset = (email: string) => request<void>('POST', '/api/password-resets', { body: { email } });
export const confirmPasswordReset = (token: string, password: string) =>
  request<void>('POST', '/api/password-resets/confirm', { body: { token, password } });

// Categories, subscriptions, notification settings
export const listCategories = (signal?: Signal) => request<Page<Category>>('GET', '/api/categories', { signal });
export const listSubscriptions = (signal?: Signal) => request<Page<Category>>('GET', '/api/me/subscriptions', { signal });
export const subscribe = (categoryId: number) => request<void>('PUT', `/api/me/subscriptions/${categoryId}`);
export const unsubscribe = (categoryId: number) => request<void>('DELETE', `/api/me/subscriptions/${categoryId}`);
export const getNotificationSettings = (signal?: Signal) =>
  request<NotificationSettings>('GET', '/api/me/notification-settings', { signal });
export const putNotificationSettings = (body: NotificationSettings) =>
  request<NotificationSettings>('PUT', '/api/me/notification-settings', { body });

// Tasks
export const createTask = (
  body: { title: string; description: string; reward: string; categoryId: number; assignment: 'first' | 'choose'; days: number | null },
  idempotencyKey: string,
) => request<Task>('POST', '/api/tasks', { body, idempotencyKey });
export const feed = (category: string | null, cursor: Cursor, signal?: Signal) =>
  request<Page<Task>>('GET', '/api/tasks', { query: { category, cursor, limit: PAGE_SIZE }, signal });
export const getTask = (id: number, signal?: Signal) => request<Task>('GET', `/api/tasks/${id}`, { signal });
export const myTasks = (status: string | null, cursor: Cursor, signal?: Signal) =>
  request<Page<Task>>('GET', '/api/me/tasks', { query: { status, cursor, limit: PAGE_SIZE }, signal });
export const listApplications = (taskId: number, signal?: Signal) =>
  request<Page<Application>>('GET', `/api/tasks/${taskId}/applications`, { signal });

export const takeTask = (id: number) => request<Task>('POST', `/api/tasks/${id}/take`);
export const abandonTask = (id: number) => request<Task>('POST', `/api/tasks/${id}/abandon`);
export const submitTask = (id: number, comment: string) =>
  request<Task>('POST', `/api/tasks/${id}/submit`, { body: comment ? { comment } : {} });
export const acceptTask = (id: number, idempotencyKey: string) => request<Task>('POST', `/api/tasks/${id}/accept`, { idempotencyKey });
export const rejectTask = (id: number, comment: string) => request<Task>('POST', `/api/tasks/${id}/reject`, { body: { comment } });
export const cancelTask = (id: number, idempotencyKey: string) => request<Task>('POST', `/api/tasks/${id}/cancel`, { idempotencyKey });
export const freezeTask = (id: number, comment: string) => request<Task>('POST', `/api/admin/tasks/${id}/freeze`, { body: { comment } });
export const unfreezeTask = (id: number, comment: string) =>
  request<Task>('POST', `/api/admin/tasks/${id}/unfreeze`, { body: { comment } });

// Money
export const createPayment = (amount: string, idempotencyKey: string) =>
  request<CreatedPayment>('POST', '/api/payments', { body: { amount }, idempotencyKey });
export const listPayments = (cursor: Cursor, signal?: Signal) =>
  request<Page<Payment>>('GET', '/api/payments', { query: { cursor, limit: PAGE_SIZE }, signal });
export const createPayout = (body: { amount: string; method: PayoutMethod; destination: string; bank?: string }, idempotencyKey: string) =>
  request<Payout>('POST', '/api/payouts', { body, idempotencyKey });
export const listPayouts = (cursor: Cursor, signal?: Signal) =>
  request<Page<Payout>>('GET', '/api/payouts', { query: { cursor, limit: PAGE_SIZE }, signal });
export const ledger = (cursor: Cursor, signal?: Signal) =>
  request<Page<LedgerEntry>>('GET', '/api/me/ledger', { query: { cursor, limit: PAGE_SIZE }, signal });

// Admin
export const adminPayouts = (status: string | null, cursor: Cursor, signal?: Signal) =>
  request<Page<Payout>>('GET', '/api/admin/payouts', { query: { status, cursor, limit: PAGE_SIZE }, signal });
export const approvePayout = (id: number, idempotencyKey: string) =>
  request<Payout>('POST', `/api/admin/payouts/${id}/approve`, { idempotencyKey });
export const rejectPayout = (id: number, comment: string, idempotencyKey: string) =>
  request<Payout>('POST', `/api/admin/payouts/${id}/reject`, { body: { comment }, idempotencyKey });
export const ledgerCheck = (signal?: Signal) => request<LedgerCheck>('GET', '/api/admin/ledger/check', { signal });
export const adminStats = (hours: number, signal?: Signal) => request<unknown>('GET', '/api/admin/stats', { query: { hours }, signal });
export const adminErrors = (cursor: Cursor, signal?: Signal) =>
  request<Page<ErrorLogEntry>>('GET', '/api/admin/errors', { query: { cursor, limit: PAGE_SIZE }, signal });
export const adminJobs = (status: string | null, cursor: Cursor, signal?: Signal) =>
  request<Page<Job>>('GET', '/api/admin/jobs', { query: { status, cursor, limit: PAGE_SIZE }, signal });
export const retryJob = (id: number) => request<unknown>('POST', `/api/admin/jobs/${id}/retry`);

// trust: conversations, reviews and profiles, blocks and appeals, the statement's CSV
import type { Appeal, AppealStatus, BlockAnswer, Conversation, Message, Profile, Review, ReviewRole, TaskReviews } from './types';
import { download, type Download } from './client';

export const myConversations = (cursor: Cursor, signal?: Signal) =>
  request<Page<Conversation>>('GET', '/api/me/conversations', { query: { cursor, limit: PAGE_SIZE }, signal });
/** `executorId` names the conversation for a customer; an executor reads its own without it. */
export const listMessages = (taskId: number, executorId: number | null, cursor: Cursor, signal?: Signal) =>
  request<Page<Message>>('GET', `/api/tasks/${taskId}/messages`, { query: { executorId, cursor, limit: PAGE_SIZE }, signal });
export const postMessage = (taskId: number, body: { text: string; executorId?: number }, idempotencyKey: string) =>
  request<Message>('POST', `/api/tasks/${taskId}/messages`, { body, idempotencyKey });

export const taskReviews = (taskId: number, signal?: Signal) => request<TaskReviews>('GET', `/api/tasks/${taskId}/reviews`, { signal });
export const postReview = (taskId: number, body: { rating: number; text: string }, idempotencyKey: string) =>
  request<Review>('POST', `/api/tasks/${taskId}/review`, { body, idempotencyKey });
export const getProfile = (accountId: number, signal?: Signal) => request<Profile>('GET', `/api/accounts/${accountId}/profile`, { signal });
export const accountReviews = (accountId: number, role: ReviewRole | null, cursor: Cursor, signal?: Signal) =>
  request<Page<Review>>('GET', `/api/accounts/${accountId}/reviews`, { query: { role, cursor, limit: PAGE_SIZE }, signal });
export const hideReview = (reviewId: number, reason: string, idempotencyKey: string) =>
  request<Review>('POST', `/api/admin/reviews/${reviewId}/hide`, { body: { reason }, idempotencyKey });

export const blockAccount = (accountId: number, reason: string, idempotencyKey: string) =>
  request<BlockAnswer>('POST', `/api/admin/accounts/${accountId}/block`, { body: { reason }, idempotencyKey });
export const unblockAccount = (accountId: number, comment: string, idempotencyKey: string) =>
  request<BlockAnswer>('POST', `/api/admin/accounts/${accountId}/unblock`, { body: { comment }, idempotencyKey });
export const fileAppeal = (text: string, idempotencyKey: string) =>
  request<Appeal>('POST', '/api/me/appeals', { body: { text }, idempotencyKey });
export const myAppeals = (signal?: Signal) => request<Page<Appeal>>('GET', '/api/me/appeals', { query: { limit: 1 }, signal });
export const adminAppeals = (status: AppealStatus, cursor: Cursor, signal?: Signal) =>
  request<Page<Appeal>>('GET', '/api/admin/appeals', { query: { status, cursor, limit: PAGE_SIZE }, signal });
export const decideAppeal = (appealId: number, body: { decision: 'upheld' | 'lifted'; comment: string }, idempotencyKey: string) =>
  request<Appeal>('POST', `/api/admin/appeals/${appealId}/decide`, { body, idempotencyKey });

/** The statement of UTC days `from`..`to` (YYYY-MM-DD, both included) as the server's CSV file. */
export const statementCsv = (from: string, to: string): Promise<Download> => download('/api/me/ledger.csv', { from, to });
// deals
export interface Offer {
  message: string | null;
  price: string | null;
  days: number | null;
}
export const makeOffer = (taskId: number, offer: Offer, idempotencyKey: string) =>
  request<Application>('POST', `/api/tasks/${taskId}/apply`, { body: offer, idempotencyKey });
export const changeOffer = (taskId: number, offer: Offer) =>
  request<Application>('PUT', `/api/tasks/${taskId}/application`, { body: offer });
export const withdrawOffer = (taskId: number) => request<void>('DELETE', `/api/tasks/${taskId}/application`);
export const assignOffer = (taskId: number, applicationId: number, idempotencyKey: string) =>
  request<Task>('POST', `/api/tasks/${taskId}/assign`, { body: { applicationId }, idempotencyKey });
export const extendDeadline = (taskId: number, days: number, comment: string, idempotencyKey: string) =>
  request<Task>('POST', `/api/tasks/${taskId}/extend`, { body: comment ? { days, comment } : { days }, idempotencyKey });
export const openDispute = (taskId: number, body: { reason: string; executorAmount: string }, idempotencyKey: string) =>
  request<Task>('POST', `/api/tasks/${taskId}/dispute`, { body, idempotencyKey });
export const respondToDispute = (taskId: number, body: { executorAmount: string; comment?: string }, idempotencyKey: string) =>
  request<Task>('POST', `/api/tasks/${taskId}/dispute/respond`, { body, idempotencyKey });
export const withdrawDispute = (taskId: number, idempotencyKey: string) =>
  request<Task>('POST', `/api/tasks/${taskId}/dispute/withdraw`, { idempotencyKey });
export const adminDisputes = (status: DisputeStatus | null, cursor: Cursor, signal?: Signal) =>
  request<Page<QueuedDispute>>('GET', '/api/admin/disputes', { query: { status, cursor, limit: PAGE_SIZE }, signal });
export const decideDispute = (id: number, body: { executorAmount: string; comment: string }, idempotencyKey: string) =>
  request<Dispute>('POST', `/api/admin/disputes/${id}/decide`, { body, idempotencyKey });
