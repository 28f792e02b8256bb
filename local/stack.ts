// The local stack: MariaDB primary and replica, two memcached, maildev, the API and the site, the
// events queue with its relay to the consumer, and a Telegram sink, started in parallel as child
// processes of this one, with their data under one folder.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig } from '../shared/config';
import { apiService, apiUrl } from './api';
import { ensureBinaries } from './binaries';
import { startControlServer, type ControlServer } from './control';
import { prepareDatabase } from './database';
import { maildevService } from './maildev';
import { mariadbService, prepareDataDirs, startReplication, waitReplicaCaughtUp } from './mariadb';
import { memcachedService } from './memcached';
import { assertPortsFree, freePorts, freeStackPorts, portsFromEnv } from './ports';
import type { Service } from './processes';
import { robokassaPageUrl, startRobokassaEmulator, type RobokassaEmulator } from './robokassa';
import { buildSite, startSite, type Site } from './site';
import { eventsQueueService, localAwsEnv, localSqsUrls } from './sqs';
import { setWebhook, startTelegramSink, type TelegramSink } from './telegram';

export interface StackOptions {
  /** '.local' for npm start; a fresh temporary folder for tests. */
  dataDir: string;
  /** Wipe dataDir first. */
  fresh?: boolean;
  /** Choose free ports for everything (tests), instead of the fixed defaults. */
  freePorts?: boolean;
  /** Overrides for the API's environment, by the names of shared/config.ts. */
  env?: Record<string, string>;
  /** Progress lines. */
  log?: (line: string) => void;
}

export type ServiceName = 'primary' | 'replica' | 'memcached1' | 'memcached2' | 'maildev' | 'api' | 'sqs';

export interface StackUrls {
  site: string;
  api: string;
  lambda: string;
  mailUi: string;
  health: string;
  /** The local Robokassa's payment page (ROBOKASSA_URL). */
  robokassa: string;
  /** The Telegram sink (TELEGRAM_API_URL): its page lists what was sent, GET /messages as JSON. */
  telegram: string;
  /** The SQS endpoint with the events queue (AWS_ENDPOINT_URL_SQS). */
  sqs: string;
  control?: string;
}

export interface ExtraApi {
  url: string;
  stop(): Promise<void>;
}

export interface Stack {
  urls: StackUrls;
  /** The API's environment as far as the stack and the caller set it (not the inherited rest). */
  env: Record<string, string>;
  stopService(name: ServiceName): Promise<void>;
  /** Starts a stopped service again on the same port and data; a restarted primary is replicated again. */
  startService(name: ServiceName): Promise<void>;
  /** Another API on free ports over the same databases and caches, with env overrides. */
  startExtraApi(env: Record<string, string>): Promise<ExtraApi>;
  /** Stops every child process and server. */
  stop(): Promise<void>;
}

// The shop's Robokassa account on this machine: the API signs links with it, the emulator checks them.
const LOCAL_ROBOKASSA = {
  ROBOKASSA_LOGIN: 'execorder-local',
  ROBOKASSA_PASSWORD1: 'local-password-1',
  ROBOKASSA_PASSWORD2: 'local-password-2',
  ROBOKASSA_TEST: '1',
};

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const logsDir = path.join(dataDir, 'logs');
  const given = { ...process.env, ...opts.env };
  const ports = opts.freePorts ? await freeStackPorts() : portsFromEnv(given);
  // Before any wipe: a stack already running on these ports may be using this very folder.
  if (!opts.freePorts) await assertPortsFree(ports);
  if (opts.fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(logsDir, { recursive: true });
  const binaries = await ensureBinaries(log);
  const config = parseConfig(given);
  const urls: StackUrls = {
    site: `http://127.0.0.1:${ports.WEB_PORT}`,
    api: apiUrl(ports.API_PORT),
    lambda: `http://127.0.0.1:${ports.LAMBDA_PORT}`,
    mailUi: `http://127.0.0.1:${ports.MAIL_UI_PORT}`,
    health: `${apiUrl(ports.API_PORT)}/api/health`,
    robokassa: robokassaPageUrl(ports.ROBOKASSA_EMULATOR_PORT),
    telegram: `http://127.0.0.1:${ports.TELEGRAM_PORT}`,
    sqs: localSqsUrls(ports.SQS_PORT).endpoint,
  };
  // What the stack started, which the API must use whatever the shell says; only opts.env beats it.
  const facts = {
    API_PORT: String(ports.API_PORT),
    LAMBDA_PORT: String(ports.LAMBDA_PORT),
    WEB_PORT: String(ports.WEB_PORT),
    MAIL_UI_PORT: String(ports.MAIL_UI_PORT),
    DB_PRIMARY_HOST: '127.0.0.1',
    DB_PRIMARY_PORT: String(ports.DB_PRIMARY_PORT),
    DB_REPLICA_HOST: '127.0.0.1',
    DB_REPLICA_PORT: String(ports.DB_REPLICA_PORT),
    DB_NAME: config.DB_NAME,
    DB_USER: config.DB_USER,
    DB_PASSWORD: config.DB_PASSWORD,
    MEMCACHED_SERVERS: `127.0.0.1:${ports.MEMCACHED1_PORT},127.0.0.1:${ports.MEMCACHED2_PORT}`,
    SQS_QUEUE_URL: localSqsUrls(ports.SQS_PORT).queueUrl,
    // Not configuration of ours: the AWS SDK's own variables, pointing it at the local queue.
    ...localAwsEnv(urls.sqs),
  };
  // The contract's configuration names: the local services are defaults, and a value set in the
  // environment (a real SMTP server, Robokassa's own test page) wins over them.
  const defaults = {
    SITE_URL: urls.site, TELEGRAM_API_URL: urls.telegram, SMTP_URL: `smtp://127.0.0.1:${ports.SMTP_PORT}`,
    ROBOKASSA_URL: urls.robokassa, ...LOCAL_ROBOKASSA,
  };
  const env = { ...defaults, ...configVariables(process.env), ...facts, ...opts.env };
  // The emulator signs and checks with whatever the API ends up with, so the two always agree.
  const robokassa = parseConfig(env);

  const services: Record<ServiceName, Service> = {
    primary: mariadbService({ role: 'primary', port: ports.DB_PRIMARY_PORT, dataDir, logsDir, mariadbd: binaries.mariadbd }),
    replica: mariadbService({ role: 'replica', port: ports.DB_REPLICA_PORT, dataDir, logsDir, mariadbd: binaries.mariadbd }),
    memcached1: memcachedService({ name: 'memcached1', port: ports.MEMCACHED1_PORT, memcached: binaries.memcached, logsDir }),
    memcached2: memcachedService({ name: 'memcached2', port: ports.MEMCACHED2_PORT, memcached: binaries.memcached, logsDir }),
    maildev: maildevService({ smtpPort: ports.SMTP_PORT, uiPort: ports.MAIL_UI_PORT, logsDir }),
    api: apiService({ name: 'api', port: ports.API_PORT, lambdaPort: ports.LAMBDA_PORT, env, dataDir, logsDir }),
    // A short visibility timeout: a batch whose consumer crashed comes back within seconds.
    sqs: eventsQueueService({ port: ports.SQS_PORT, lambdaUrl: urls.lambda, visibilityTimeoutSeconds: 10 }),
  };
  const extraApis = new Set<ExtraApi>();
  let site: Site | undefined;
  let robokassaEmulator: RobokassaEmulator | undefined;
  let telegram: TelegramSink | undefined;
  let control: ControlServer | undefined;
  let extraCount = 0;

  const timed = async (label: string, step: () => Promise<unknown>) => {
    const began = Date.now();
    await step();
    log(`✓ ${label} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  };

  async function bootDatabases(): Promise<void> {
    if (await prepareDataDirs(dataDir, binaries.mariadbInstallDb, logsDir)) log('  new MariaDB data folders');
    await Promise.all([
      timed(`MariaDB primary :${ports.DB_PRIMARY_PORT}`, () => services.primary.start()),
      timed(`MariaDB replica :${ports.DB_REPLICA_PORT}`, () => services.replica.start()),
    ]);
    await timed('replication, database and migrations', async () => {
      await startReplication(ports.DB_PRIMARY_PORT, ports.DB_REPLICA_PORT);
      const applied = await prepareDatabase(ports.DB_PRIMARY_PORT, {
        name: config.DB_NAME,
        user: config.DB_USER,
        password: config.DB_PASSWORD,
        admin: config.ADMIN_EMAIL && config.ADMIN_PASSWORD ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } : undefined,
      });
      if (applied.length > 0) log(`  applied ${applied.join(', ')}`);
      await waitReplicaCaughtUp(ports.DB_PRIMARY_PORT, ports.DB_REPLICA_PORT, 30);
    });
  }

  async function startExtraApi(overrides: Record<string, string>): Promise<ExtraApi> {
    const [port, lambdaPort] = (await freePorts(2)) as [number, number];
    const service = apiService({ name: `api-extra-${++extraCount}`, port, lambdaPort, env: { ...env, ...overrides }, dataDir, logsDir });
    const extra: ExtraApi = {
      url: apiUrl(port),
      async stop() {
        extraApis.delete(extra);
        await service.stop();
      },
    };
    extraApis.add(extra);
    try {
      await service.start();
    } catch (err) {
      await extra.stop();
      throw err;
    }
    return extra;
  }

  async function stop(): Promise<void> {
    await Promise.all([control?.close(), site?.close(), robokassaEmulator?.close(), telegram?.close()]);
    await Promise.all([...extraApis].map((api) => api.stop()));
    await Promise.all(Object.values(services).map((service) => service.stop()));
  }

  const stack: Stack = {
    urls,
    env,
    stopService: (name) => serviceNamed(services, name).stop(),
    startService: (name) => serviceNamed(services, name).start(),
    startExtraApi,
    stop,
  };

  log(`Starting the local stack in ${dataDir} (logs in ${logsDir})`);
  // Everything boots at once: the API only connects to the databases on its first request.
  const steps = await Promise.allSettled([
    bootDatabases(),
    timed(`memcached :${ports.MEMCACHED1_PORT}`, () => services.memcached1.start()),
    timed(`memcached :${ports.MEMCACHED2_PORT}`, () => services.memcached2.start()),
    timed(`maildev smtp :${ports.SMTP_PORT}, ui :${ports.MAIL_UI_PORT}`, () => services.maildev.start()),
    timed(`API :${ports.API_PORT}`, () => services.api.start()),
    timed(`site :${ports.WEB_PORT}`, async () => (site = await startSite({ port: ports.WEB_PORT, apiPort: ports.API_PORT }))),
    timed('site built into frontend/dist', buildSite),
    timed(`SQS events queue :${ports.SQS_PORT}`, () => services.sqs.start()),
    timed(`Telegram sink :${ports.TELEGRAM_PORT}`, async () => {
      const bot = parseConfig(env);
      telegram = await startTelegramSink({ port: ports.TELEGRAM_PORT, botToken: bot.TELEGRAM_BOT_TOKEN });
      // What an operator does once per deployment: point the bot's updates at the webhook.
      await setWebhook(telegram.url, bot.TELEGRAM_BOT_TOKEN, `${urls.api}/api/telegram/webhook`, bot.TELEGRAM_WEBHOOK_SECRET);
    }),
    timed(`Robokassa emulator :${ports.ROBOKASSA_EMULATOR_PORT}`, async () => (robokassaEmulator = await startRobokassaEmulator({
      port: ports.ROBOKASSA_EMULATOR_PORT, apiUrl: urls.api, siteUrl: env.SITE_URL,
      login: robokassa.ROBOKASSA_LOGIN, password1: robokassa.ROBOKASSA_PASSWORD1, password2: robokassa.ROBOKASSA_PASSWORD2,
      algorithm: robokassa.ROBOKASSA_HASH,
    }))),
    opts.freePorts && (async () => {
      const [port] = (await freePorts(1)) as [number];
      control = await startControlServer(stack, port);
      urls.control = control.url;
    })(),
  ]);
  const failure = steps.find((step) => step.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return stack;
}

function serviceNamed(services: Record<ServiceName, Service>, name: ServiceName): Service {
  if (!Object.hasOwn(services, name)) throw new Error(`no service named ${name}; known: ${Object.keys(services).join(', ')}`);
  return services[name];
}

/** The variables of shared/config.ts that are set in `env`. */
function configVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = new Set(Object.keys(parseConfig({})));
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => names.has(entry[0]) && entry[1] !== undefined && entry[1] !== ''),
  );
}
