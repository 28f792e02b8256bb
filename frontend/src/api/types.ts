// Shapes of the HTTP contract (/work/shared/API.md). Money is always a decimal string.

export type Role = 'customer' | 'executor' | 'admin';
type Money = string;

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface Account {
  id: number;
  email: string;
  fname: string;
  sname: string;
  phone: string;
}

export interface Me extends Account {
  role: Role;
  balance: Money;
  balanceHeld: Money;
  salary: Money;
  salaryHeld: Money;
  /** The account has not agreed to the current terms or personal-data policy: the site asks again. */
  consentRequired?: boolean;
  /** Set while an administrator has blocked the account (API v2). */
  blocked?: Block | null;
}

export interface SessionInfo {
  id: number;
  role: Role;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}

export interface LoginAnswer {
  token: string;
  session: { id: number; role: Role };
  account: Account;
}

export interface Category {
  id: number;
  slug: string;
  name: string;
}

export type TaskStatus = 'actual' | 'in_work' | 'review' | 'done' | 'cancelled' | 'frozen' | 'disputed';
type Assignment = 'first' | 'choose';
export const TASK_STATUSES: readonly TaskStatus[] = ['actual', 'in_work', 'review', 'done', 'cancelled', 'frozen', 'disputed'];

export interface PersonRef {
  id: number;
  name: string;
  /** API v2: the mean published rating ("4.67", null without reviews) where the contract shows one. */
  rating?: string | null;
  reviews?: number;
}

export interface Task {
  id: number;
  title: string;
  description: string;
  reward: Money;
  category: Category;
  assignment: Assignment;
  status: TaskStatus;
  customer: PersonRef;
  executor: PersonRef | null;
  createdAt: string;
  updatedAt: string;
}

export interface Application {
  id: number;
  executor: PersonRef & { rating: string | null; reviews: number };
  /** The offer (API v2): null price means the posted reward, null days the task's days. */
  message: string | null;
  price: Money | null;
  days: number | null;
  createdAt: string;
  updatedAt: string;
}

type PaymentStatus = 'created' | 'received' | 'rejected' | 'outdated';

export interface Payment {
  id: number;
  amount: Money;
  status: PaymentStatus;
  createdAt: string;
}

export interface CreatedPayment {
  id: number;
  amount: Money;
  status: 'created';
  paymentUrl: string;
}

export type PayoutStatus = 'created' | 'received' | 'rejected';
/** `qiwi` only on payouts made before QIWI Bank lost its licence; new ones are sbp or card. */
export type PayoutMethod = 'qiwi' | 'card' | 'sbp';
export const PAYOUT_STATUSES: readonly PayoutStatus[] = ['created', 'received', 'rejected'];

export interface Payout {
  id: number;
  amount: Money;
  method: PayoutMethod;
  destination: string;
  /** The recipient's bank of an SBP payout; null for the others. */
  bank: string | null;
  status: PayoutStatus;
  comment: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** Not in the contract's payout shape; shown to the admin when the server sends it. */
  executor?: PersonRef;
}

export interface LedgerEntry {
  id: number;
  kind: string;
  amount: Money;
  createdAt: string;
  taskId?: number | null;
  paymentId?: number | null;
  payoutId?: number | null;
  /** The movement as a statement names it, and what it did to each of the caller's buckets. */
  description: string;
  effects: Record<string, Money>;
}

export interface NotificationSettings {
  email: boolean;
  telegramChatId: string | null;
  /** GET only: a one-time deep link to the bot that links the chat where Start is pressed. */
  telegramLink?: string;
}

export interface LegalVersions {
  terms: { version: string; url: string };
  personalData: { version: string; url: string };
}

/** One row of GET /api/admin/stats. The contract names the numbers, not the keys; see README. */
export interface RouteStat {
  route: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface ErrorLogEntry {
  id: number;
  requestId: string;
  route: string;
  message: string;
  createdAt: string;
  status?: number;
  code?: string;
}

export interface Job {
  id: number;
  type: string;
  status: string;
  attempts?: number;
  lastError?: string | null;
  createdAt: string;
  updatedAt?: string;
}

export interface LedgerCheck {
  ok: boolean;
  [total: string]: unknown;
}

export interface ValidationDetail {
  path: string;
  message: string;
}

// trust
export interface Block {
  reason: string;
  since: string;
}

export interface Message {
  id: number;
  taskId: number;
  executorId: number;
  from: PersonRef;
  text: string;
  /** `contact`: the text seems to carry a phone, an e-mail or a link. */
  flags: string[];
  createdAt: string;
}

export interface Conversation {
  task: { id: number; title: string };
  customer: PersonRef;
  executor: PersonRef;
  lastMessage: Message | null;
  unread: number;
}

export type ReviewRole = 'customer' | 'executor';

export interface Review {
  id: number;
  task: { id: number; title: string };
  author: PersonRef;
  subject: PersonRef;
  subjectRole: ReviewRole;
  rating: number;
  text: string;
  createdAt: string;
  publishedAt: string | null;
}

export interface TaskReviews {
  mine: Review | null;
  theirs: Review | null;
}

export interface Profile {
  id: number;
  name: string;
  memberSince: string;
  blocked: boolean;
  asExecutor: { rating: string | null; reviews: number; tasksDone: number; disputes: number };
  asCustomer: { rating: string | null; reviews: number; tasksPosted: number; tasksDone: number; disputes: number };
}

export type AppealStatus = 'open' | 'upheld' | 'lifted';
export const APPEAL_STATUSES: readonly AppealStatus[] = ['open', 'upheld', 'lifted'];

export interface Appeal {
  id: number;
  account: PersonRef;
  text: string;
  status: AppealStatus;
  answer: string | null;
  answerBy: string;
  createdAt: string;
  decidedAt: string | null;
}

export interface BlockAnswer {
  id: number;
  blocked: Block | null;
}

// deals
/** What API v2 adds to a task for deals (merged into Task above). */
export interface Task {
  days: number | null;
  dueAt: string | null;
  overdue: boolean;
  /** The private part: present for the task's parties and admins only. */
  rejections?: number;
  dispute?: Dispute | null;
  history?: HistoryItem[];
  /** An executor's own offer on a `choose` task (null when it has none); see the README's additions. */
  myApplication?: Application | null;
}

export type Party = 'customer' | 'executor';
export type DisputeStatus = 'awaiting_response' | 'awaiting_admin' | 'resolved' | 'withdrawn';
export const DISPUTE_STATUSES: readonly DisputeStatus[] = ['awaiting_response', 'awaiting_admin', 'resolved', 'withdrawn'];

export interface Dispute {
  id: number;
  taskId: number;
  openedBy: Party;
  reason: string;
  /** What each side proposes the executor gets of the held reward, before commission. */
  proposals: Record<Party, Money | null>;
  status: DisputeStatus;
  respondBy: string;
  /** executorEarned: the executor's share less commission; customerRefund: what went back to the customer's balance. */
  resolution: {
    executorAmount: Money;
    executorEarned: Money;
    customerRefund: Money;
    by: 'agreement' | 'timeout' | 'admin';
    comment: string | null;
  } | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface QueuedDispute extends Dispute {
  task: { id: number; title: string; reward: Money };
}

export interface HistoryItem {
  at: string;
  by: PersonRef | null;
  action: string;
  comment: string | null;
}
