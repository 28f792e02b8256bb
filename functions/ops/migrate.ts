// Applies pending migrations on the writer, makes sure the application user (AWS) and the admin
// account exist. In AWS CloudFormation runs it during every deploy, before the API's stage (the
// Migrations custom resource, serverless/deploy.yml); `serverless invoke -f migrate` runs it by
// hand, and the local launcher does the same at start.
import mysql from 'mysql2/promise';
import { ensureAdmin } from '../../shared/accounts/admin';
import { secretJson } from '../../shared/aws/secrets';
import { config } from '../../shared/config';
import { ensureAppUser } from '../../shared/db/app-user';
import { migrate } from '../../shared/db/migrate';
import { SESSION_SETTINGS } from '../../shared/db/nodes';
import { log } from '../../shared/log';
import { answerCustomResource, isCustomResourceRequest } from '../../shared/ops/custom-resource';

interface Outcome {
  applied: string[];
  admin: boolean;
  appUser: boolean;
}

/** The master user from its secret in AWS, the configured user locally. */
async function adminCredentials(): Promise<{ user: string; password: string }> {
  if (!config.DB_MASTER_SECRET_ARN) return { user: config.DB_USER, password: config.DB_PASSWORD };
  const secret = await secretJson(config.DB_MASTER_SECRET_ARN);
  return { user: secret.username ?? '', password: secret.password ?? '' };
}

async function adminPassword(): Promise<string> {
  return config.ADMIN_SECRET_ARN ? ((await secretJson(config.ADMIN_SECRET_ARN)).ADMIN_PASSWORD ?? '') : config.ADMIN_PASSWORD;
}

async function runMigrations(): Promise<Outcome> {
  const { user, password } = await adminCredentials();
  const conn = await mysql.createConnection({
    host: config.DB_PRIMARY_HOST,
    port: config.DB_PRIMARY_PORT,
    user,
    password,
    database: config.DB_NAME,
    multipleStatements: true,
    charset: 'utf8mb4',
    ...(config.DB_TLS ? { ssl: 'Amazon RDS' } : {}),
  });
  try {
    await conn.query(SESSION_SETTINGS);
    const applied = await migrate(conn);
    const app = config.DB_APP_SECRET_ARN ? await secretJson(config.DB_APP_SECRET_ARN) : undefined;
    if (app) await ensureAppUser(conn, config.DB_NAME, app.username ?? '', app.password ?? '');
    const adminPass = await adminPassword();
    const admin = Boolean(config.ADMIN_EMAIL && adminPass);
    if (admin) await ensureAdmin(conn, config.ADMIN_EMAIL, adminPass);
    return { applied, admin, appUser: Boolean(app) };
  } finally {
    await conn.end();
  }
}

export const handler = async (event: unknown): Promise<unknown> => {
  if (!isCustomResourceRequest(event)) return runMigrations();
  return answerCustomResource(event, async () => {
    const outcome = await runMigrations();
    log.info('migrations applied', { applied: outcome.applied });
    // A count, not the names: CloudFormation refuses a response over 4 KiB.
    return { Applied: String(outcome.applied.length) };
  });
};
