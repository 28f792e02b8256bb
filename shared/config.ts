// Every environment variable the product reads, parsed once and typed.
// The defaults are the local stack's; in AWS serverless.yml sets every value.
import { z } from 'zod';

const int = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = z
  .enum(['0', '1', 'true', 'false'])
  .default('0')
  .transform((v) => v === '1' || v === 'true');

const ConfigSchema = z.object({
  /** `local` for this machine's stack (and tests); any other value is an AWS stage. */
  STAGE: z
    .string()
    .regex(/^[\w-]{1,40}$/)
    .default('local'),
  API_PORT: int(3000),
  WEB_PORT: int(8080),
  MAIL_UI_PORT: int(1080),
  SITE_URL: z.string().url().default('http://localhost:8080'),

  DB_PRIMARY_HOST: z.string().default('127.0.0.1'),
  DB_PRIMARY_PORT: int(3306),
  DB_REPLICA_HOST: z.string().default('127.0.0.1'),
  DB_REPLICA_PORT: int(3307),
  DB_NAME: z.string().default('execorder'),
  DB_USER: z.string().default('execorder'),
  DB_PASSWORD: z.string().default('execorder-local'),
  /** A connect on a busy two-core machine has taken over a second; AWS sets 1000 (serverless/params.yml). */
  DB_CONNECT_TIMEOUT_MS: int(3000),
  DB_POOL_SIZE: int(10),

  MEMCACHED_SERVERS: z.string().default('127.0.0.1:11211,127.0.0.1:11212'),
  MEMCACHED_TIMEOUT_MS: int(200),

  COMMISSION_PERCENT: z.coerce.number().min(0).max(100).default(10),
  AUTO_ACCEPT_HOURS: z.coerce.number().min(0).default(72),
  PAYMENT_TTL_HOURS: z.coerce.number().min(0).default(24),
  RATE_LIMIT_PER_SECOND: int(5),
  RATE_LIMIT_PER_MINUTE: int(180),
  /** Counters of APIs with different limits over one memcached must not mix (tests run such APIs side by side). */
  RATE_LIMIT_KEY_PREFIX: z
    .string()
    .regex(/^[\w-]{1,20}$/)
    .default('rl'),
  RATE_LIMIT_ROBOKASSA_PER_SECOND: int(50),
  RATE_LIMIT_ROBOKASSA_PER_MINUTE: int(3000),
  BCRYPT_ROUNDS: int(11),

  ROBOKASSA_LOGIN: z.string().default('execorder-local'),
  ROBOKASSA_PASSWORD1: z.string().default('local-password-1'),
  ROBOKASSA_PASSWORD2: z.string().default('local-password-2'),
  ROBOKASSA_TEST: flag,
  ROBOKASSA_HASH: z.enum(['md5', 'sha1', 'sha256', 'sha384', 'sha512']).default('md5'),
  ROBOKASSA_URL: z.string().url().default('https://auth.robokassa.ru/Merchant/Index.aspx'),
  PAYMENT_MIN_AMOUNT: z.string().default('10.00'),
  PAYOUT_MIN_AMOUNT: z.string().default('100.00'),

  SMTP_URL: z.string().default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('execorder <no-reply@execorder.local>'),
  TELEGRAM_BOT_TOKEN: z.string().default('local-bot-token'),
  TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),

  SQS_QUEUE_URL: z.string().default(''),
  /** A failed notification is tried again after base × 2^(tries − 1) seconds (AWS: 30; locally short). */
  JOB_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(1),
  ADMIN_EMAIL: z.string().default(''),
  ADMIN_PASSWORD: z.string().default(''),

  // AWS only (serverless/environment.yml); the local stack leaves them at these defaults.
  /** `iam`: a fresh RDS IAM token per connection (through RDS Proxy) instead of DB_PASSWORD. */
  DB_AUTH: z.enum(['password', 'iam']).default('password'),
  /** TLS to the database with the Amazon RDS and RDS Proxy CA bundle. */
  DB_TLS: flag,
  /** RDS Proxy sets time_zone and innodb_lock_wait_timeout in its init query; a SET per connection would pin it. */
  DB_SESSION_BY_PROXY: flag,
  /** The migrate function only: Secrets Manager secrets holding the master user and the application user. */
  DB_MASTER_SECRET_ARN: z.string().default(''),
  DB_APP_SECRET_ARN: z.string().default(''),
  /** The migrate function only: the operator's secret with ADMIN_PASSWORD (read at cold start). */
  ADMIN_SECRET_ARN: z.string().default(''),
  /** A header only CloudFront adds (with ORIGIN_SECRET), so a request that skipped CloudFront is refused; '' turns the check off. */
  ORIGIN_SECRET_HEADER: z
    .string()
    .regex(/^[a-z0-9-]*$/)
    .default(''),
  ORIGIN_SECRET: z.string().default(''),
  /** In AWS the value lives in Secrets Manager under this name, read once per container. */
  ORIGIN_SECRET_ARN: z.string().default(''),
  /** How often the outbox relay looks for new events when the last round found fewer than a full batch. */
  RELAY_POLL_MS: int(100),
  /** Open SMTP connections per consumer container (a pool: one connection per message costs a handshake each). */
  SMTP_MAX_CONNECTIONS: int(5),
  /** Deals (API v2): hours, fractions allowed so that tests can shorten a deadline. */
  OVERDUE_RELEASE_HOURS: z.coerce.number().min(0).default(24),
  DISPUTE_RESPONSE_HOURS: z.coerce.number().min(0).default(72),
  /** Messages a session may post per minute (429 beyond); 0 turns the limit off. */
  MESSAGE_LIMIT_PER_MINUTE: int(20),
  /** At most one message_received notification per conversation and recipient this often. */
  MESSAGE_NOTIFY_MINUTES: z.coerce.number().min(0).default(10),
  /** How long after a task is done its parties may review each other; reviews are published when it closes. */
  REVIEW_WINDOW_DAYS: z.coerce.number().min(0).default(14),
  /** The answer an appeal is promised by (its `answerBy`). */
  APPEAL_ANSWER_DAYS: z.coerce.number().min(0).default(5),
  /** Peers that are proxies of ours (locally the site's): only they may name the client in X-Forwarded-For. */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    ),
  /** A header our edge sets to the viewer's `address:port` (AWS: cloudfront-viewer-address), read only with the origin check on. */
  CLIENT_IP_HEADER: z.string().toLowerCase().default(''),
  /** Requests with an unknown, expired or revoked token per address and minute before 429 (0: no limit). */
  AUTH_FAILURES_PER_MINUTE: int(30),
  /** A request still running this long before the function's time limit answers 503 unavailable itself. */
  HANDLER_TIMEOUT_MARGIN_MS: int(1000),
  /** 54-FZ: the payment link carries Robokassa's Receipt (API.md, "Fiscal receipt on top-ups"). */
  ROBOKASSA_RECEIPT: flag,
  /** The shop's taxation system and a top-up's VAT rate, by Robokassa's names (docs.robokassa.ru/ru/fiscalization). */
  FISCAL_SNO: z.enum(['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent']).default('usn_income'),
  FISCAL_TAX: z
    .enum(['none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat20', 'vat22', 'vat105', 'vat107', 'vat110', 'vat120', 'vat122'])
    .default('none'),
  /** The bot's @username without the @: the deep link that links a chat is t.me/<it>?start=<code>. */
  TELEGRAM_BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{4,31}$/)
    .default('execorder_local_bot'),
  /** setWebhook's secret_token: Telegram sends it back in X-Telegram-Bot-Api-Secret-Token (1..256 of A-Za-z0-9_-). */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/)
    .default('local-webhook-secret'),
});

export type Config = z.infer<typeof ConfigSchema>;

/**
 * The defaults above are the local stack's. Outside it a missing value would silently become a
 * local one (an empty ROBOKASSA_PASSWORD2 would check callbacks against `local-password-2`):
 * - every AWS function is given these (serverless/environment.yml), so one that lacks any stops
 *   at start;
 * - these secrets only the functions that use them are given (serverless/groups.yml): one that
 *   lacks its secret stops, with the secret's name, the moment it reads it, never using the default.
 */
const REQUIRED_OUTSIDE_LOCAL = [
  'SITE_URL',
  'DB_PRIMARY_HOST',
  'DB_REPLICA_HOST',
  'DB_USER',
  'MEMCACHED_SERVERS',
  'SQS_QUEUE_URL',
  'MAIL_FROM',
] as const satisfies readonly (keyof Config)[];
const LOCAL_SECRETS = [
  'ROBOKASSA_PASSWORD1',
  'ROBOKASSA_PASSWORD2',
  'SMTP_URL',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
] as const satisfies readonly (keyof Config)[];

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable counts as unset, so that `FOO=` in a shell does not defeat a default.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.parse(present);
  if (parsed.STAGE === 'local') return parsed;
  const missing = REQUIRED_OUTSIDE_LOCAL.filter((name) => present[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`configuration: stage ${parsed.STAGE} needs ${missing.join(', ')} set; the defaults are for the local stack only`);
  }
  for (const name of LOCAL_SECRETS.filter((secret) => present[secret] === undefined)) {
    Object.defineProperty(parsed, name, {
      enumerable: true,
      get() {
        throw new Error(`configuration: ${name} is not set in stage ${parsed.STAGE}; this function was not given that secret`);
      },
    });
  }
  return parsed;
}

export const config: Config = parseConfig(process.env);
