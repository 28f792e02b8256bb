// The local stack: MariaDB primary and replica, two memcached, maildev, the API and the site, the
// events queue with its relay to the consumer, and a Telegram sink, started in parallel as child
// processes of this one, with their data under one folder.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig, type Config } from '../shared/config';
import { apiService, apiUrl, extraApiLauncher } from './api';
import { ensureBinaries } from './binaries';
import { startControlServer } from './control';
import type { ServiceControl, ServiceName } from './service-control';
import { databasesService } from './database';
import { maildevService } from './maildev';
import { mariadbService } from './mariadb';
import { memcachedService } from './memcached';
import { pidsDirOf, stopLeftovers } from './pid-files';
import { assertPortsFree, freePorts, freeStackPorts, portsFromEnv, type Ports } from './ports';
import { keepPidFilesIn, type Service } from './processes';
import { robokassaPageUrl, startRobokassaEmulator } from './robokassa';
import { relayService } from './relay';
import { buildSite, SITE_PROXY_ADDRESS, startSite } from './site';
import { LOCAL_REGION, localAwsEnv, localSqsUrls, sqsService } from './sqs';
import { setWebhook, startTelegramSink } from './telegram';

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

interface StackUrls {
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

export interface Stack extends ServiceControl {
  urls: StackUrls;
  /** The API's environment as far as the stack and the caller set it (not the inherited rest). */
  env: Record<string, string>;
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

/** The events queue's consumer, as serverless.yml declares it. */
export const EVENTS_CONSUMER = { handler: 'functions/events/consume.handler', timeoutSeconds: 30 };

/** One thing the stack starts, in parallel with the others, and stops with them. */
interface Part {
  label: string;
  service: Service;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const logsDir = path.join(dataDir, 'logs');
  // First of all: what a launcher that was killed outright left running holds ports and data.
  const leftovers = await stopLeftovers(pidsDirOf(dataDir));
  if (leftovers.length > 0) log(`Stopped what an earlier launcher left running: ${leftovers.join(', ')}`);
  const ports = opts.freePorts ? await freeStackPorts() : portsFromEnv({ ...process.env, ...opts.env });
  // Before any wipe: a stack already running on these ports may be using this very folder.
  if (!opts.freePorts) await assertPortsFree(ports);
  if (opts.fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(logsDir, { recursive: true });
  keepPidFilesIn(pidsDirOf(dataDir));
  const binaries = await ensureBinaries(log);
  const controlPort = opts.freePorts ? (await freePorts(1))[0] : undefined;
  const urls = stackUrls(ports, controlPort);
  const { env, config } = apiEnvironment(ports, urls, opts.env ?? {});

  const services: Record<ServiceName, Service> = {
    primary: mariadbService({ role: 'primary', port: ports.DB_PRIMARY_PORT, dataDir, logsDir, mariadbd: binaries.mariadbd }),
    replica: mariadbService({ role: 'replica', port: ports.DB_REPLICA_PORT, dataDir, logsDir, mariadbd: binaries.mariadbd }),
    memcached1: memcachedService({ name: 'memcached1', port: ports.MEMCACHED1_PORT, memcached: binaries.memcached, logsDir }),
    memcached2: memcachedService({ name: 'memcached2', port: ports.MEMCACHED2_PORT, memcached: binaries.memcached, logsDir }),
    maildev: maildevService({ smtpPort: ports.SMTP_PORT, uiPort: ports.MAIL_UI_PORT, dataDir, logsDir }),
    api: apiService({ name: 'api', port: ports.API_PORT, lambdaPort: ports.LAMBDA_PORT, env, dataDir, logsDir }),
    // A short visibility timeout: a batch whose consumer crashed comes back within seconds.
    sqs: sqsService({ port: ports.SQS_PORT, visibilityTimeoutSeconds: 10, logsDir }),
    relay: relayService({
      sqsEndpoint: urls.sqs,
      region: LOCAL_REGION,
      queueUrl: localSqsUrls(ports.SQS_PORT).queueUrl,
      // serverless.yml's `events` function (test/infra/package.test.ts holds the two to each other).
      consumer: EVENTS_CONSUMER,
      env,
      logsDir,
    }),
  };
  const extraApis = extraApiLauncher({ env, dataDir, logsDir });
  const timed = async (label: string, step: () => Promise<unknown>) => {
    const began = Date.now();
    await step();
    log(`✓ ${label} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  };
  const databases = databasesService({
    primary: services.primary,
    replica: services.replica,
    primaryPort: ports.DB_PRIMARY_PORT,
    replicaPort: ports.DB_REPLICA_PORT,
    dataDir,
    logsDir,
    installDb: binaries.mariadbInstallDb,
    config,
    log,
    timed,
  });

  // Everything boots at once: the API only connects to the databases on its first request.
  const parts: Part[] = [
    { label: 'databases: replication, schema and migrations', service: databases },
    { label: `memcached :${ports.MEMCACHED1_PORT}`, service: services.memcached1 },
    { label: `memcached :${ports.MEMCACHED2_PORT}`, service: services.memcached2 },
    { label: `maildev smtp :${ports.SMTP_PORT}, ui :${ports.MAIL_UI_PORT}`, service: services.maildev },
    { label: `API :${ports.API_PORT}`, service: services.api },
    { label: `SQS events queue :${ports.SQS_PORT} and its relay`, service: queueAndRelay(services.sqs, services.relay) },
    { label: `site :${ports.WEB_PORT}`, service: serverService(() => startSite({ port: ports.WEB_PORT, apiPort: ports.API_PORT })) },
    { label: 'site built into frontend/dist', service: { start: buildSite, stop: () => Promise.resolve() } },
    {
      label: `Telegram sink :${ports.TELEGRAM_PORT}`,
      service: serverService(async () => {
        const telegram = await startTelegramSink({ port: ports.TELEGRAM_PORT, botToken: config.TELEGRAM_BOT_TOKEN });
        // What an operator does once per deployment: point the bot's updates at the webhook.
        await setWebhook(telegram.url, config.TELEGRAM_BOT_TOKEN, `${urls.api}/api/telegram/webhook`, config.TELEGRAM_WEBHOOK_SECRET);
        return telegram;
      }),
    },
    {
      label: `Robokassa emulator :${ports.ROBOKASSA_EMULATOR_PORT}`,
      // It signs and checks with whatever the API ends up with, so the two always agree.
      service: serverService(() =>
        startRobokassaEmulator({
          port: ports.ROBOKASSA_EMULATOR_PORT,
          apiUrl: urls.api,
          siteUrl: config.SITE_URL,
          login: config.ROBOKASSA_LOGIN,
          password1: config.ROBOKASSA_PASSWORD1,
          password2: config.ROBOKASSA_PASSWORD2,
          algorithm: config.ROBOKASSA_HASH,
        }),
      ),
    },
  ];
  const stack: Stack = {
    urls,
    env,
    stopService: (name) => serviceNamed(services, name).stop(),
    startService: (name) => serviceNamed(services, name).start(),
    freezeService: (name) => frozenOrThawed(serviceNamed(services, name), name, 'freeze'),
    thawService: (name) => frozenOrThawed(serviceNamed(services, name), name, 'thaw'),
    startExtraApi: (env) => extraApis.start(env),
    async stop() {
      await extraApis.stopAll();
      await Promise.all(parts.map((part) => part.service.stop()));
    },
  };
  if (controlPort !== undefined) {
    parts.push({ label: `control :${controlPort}`, service: serverService(() => startControlServer(stack, controlPort)) });
  }

  log(`Starting the local stack in ${dataDir} (logs in ${logsDir})`);
  const steps = await Promise.allSettled(parts.map((part) => timed(part.label, () => part.service.start())));
  const failure = steps.find((step) => step.status === 'rejected');
  if (failure) {
    await stack.stop();
    throw failure.reason;
  }
  return stack;
}

function stackUrls(ports: Ports, controlPort: number | undefined): StackUrls {
  return {
    site: `http://127.0.0.1:${ports.WEB_PORT}`,
    api: apiUrl(ports.API_PORT),
    lambda: `http://127.0.0.1:${ports.LAMBDA_PORT}`,
    mailUi: `http://127.0.0.1:${ports.MAIL_UI_PORT}`,
    health: `${apiUrl(ports.API_PORT)}/api/health`,
    robokassa: robokassaPageUrl(ports.ROBOKASSA_EMULATOR_PORT),
    telegram: `http://127.0.0.1:${ports.TELEGRAM_PORT}`,
    sqs: localSqsUrls(ports.SQS_PORT).endpoint,
    ...(controlPort === undefined ? {} : { control: `http://127.0.0.1:${controlPort}` }),
  };
}

/** The API's environment and the configuration it parses to (once, for the whole stack). */
function apiEnvironment(ports: Ports, urls: StackUrls, overrides: Record<string, string>): { env: Record<string, string>; config: Config } {
  // What the stack started, which the API must use whatever the shell says; only overrides beat it.
  const facts = {
    API_PORT: String(ports.API_PORT),
    LAMBDA_PORT: String(ports.LAMBDA_PORT),
    WEB_PORT: String(ports.WEB_PORT),
    MAIL_UI_PORT: String(ports.MAIL_UI_PORT),
    DB_PRIMARY_HOST: '127.0.0.1',
    DB_PRIMARY_PORT: String(ports.DB_PRIMARY_PORT),
    DB_REPLICA_HOST: '127.0.0.1',
    DB_REPLICA_PORT: String(ports.DB_REPLICA_PORT),
    MEMCACHED_SERVERS: `127.0.0.1:${ports.MEMCACHED1_PORT},127.0.0.1:${ports.MEMCACHED2_PORT}`,
    SQS_QUEUE_URL: localSqsUrls(ports.SQS_PORT).queueUrl,
    // Not configuration of ours: the AWS SDK's own variables, pointing it at the local queue.
    ...localAwsEnv(urls.sqs),
  };
  // The contract's configuration names: the local services are defaults, and a value set in the
  // environment (a real SMTP server, Robokassa's own test page) wins over them.
  const defaults = {
    SITE_URL: urls.site,
    TELEGRAM_API_URL: urls.telegram,
    SMTP_URL: `smtp://127.0.0.1:${ports.SMTP_PORT}`,
    ROBOKASSA_URL: urls.robokassa,
    ...LOCAL_ROBOKASSA,
    TRUSTED_PROXIES: SITE_PROXY_ADDRESS,
  };
  const settings = { ...defaults, ...configVariables(process.env), ...facts, ...overrides };
  const config = parseConfig(settings);
  // The database account the stack creates is the one the API logs in with, and tests read it here.
  return { config, env: { ...settings, DB_NAME: config.DB_NAME, DB_USER: config.DB_USER, DB_PASSWORD: config.DB_PASSWORD } };
}

/** An HTTP server of the launcher's own process as a service: `open` starts it, stop closes it. */
function serverService(open: () => Promise<{ close(): Promise<void> }>): Service {
  let server: { close(): Promise<void> } | undefined;
  return {
    async start() {
      server ??= await open();
    },
    async stop() {
      const running = server;
      server = undefined;
      await running?.close();
    },
  };
}

/** The queue, then its relay (which polls it); stopped the other way round. */
function queueAndRelay(queue: Service, relay: Service): Service {
  return {
    async start() {
      await queue.start();
      await relay.start();
    },
    async stop() {
      await relay.stop();
      await queue.stop();
    },
  };
}

async function frozenOrThawed(service: Service, name: ServiceName, action: 'freeze' | 'thaw'): Promise<void> {
  const signal = service[action]?.bind(service);
  if (!signal) throw new Error(`${name} cannot be frozen (not a single child process)`);
  await signal();
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
