// `serverless package --stage prod` builds the AWS stack the handbook promises, without deploying:
// every function bundled, every route of the contract, the VPC, Aurora, memcached, SQS, the site
// behind CloudFront, the environment complete and no secret in the template; and what real traffic
// needs (issue 15): a current runtime, RDS Proxy with TLS, IAM and the application user, no
// plaintext database or admin secret in any function, the origin closed to all but CloudFront and
// its WAF, throttling, alarms, a role per group of functions, and migrations run by the deploy.
// The `local` stage stays bare, so serverless-offline keeps the launcher's environment.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, copyFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../local/site';
import { EVENTS_CONSUMER } from '../../local/stack';
import { parseConfig } from '../../shared/config';
import { SESSION_SETTINGS } from '../../shared/db/nodes';
import { MAX_RECEIVES } from '../../shared/events/redrive';

const REPO = path.resolve(__dirname, '../..');
const SERVERLESS = path.join(REPO, 'node_modules/serverless/bin/serverless.js');
const PACKAGE_SCRIPT = path.join(REPO, 'local/package.ts');
// Minutes when the machine is busy (57 functions bundled one by one).
const PACKAGE_TIMEOUT_MS = 600_000;

// Every route of API.md, as `METHOD path`. Path parameters are compared by position, not name.
const CONTRACT_ROUTES = [
  // Accounts and sessions
  'POST /api/accounts',
  'POST /api/sessions',
  'GET /api/sessions',
  'DELETE /api/sessions/{id}',
  'DELETE /api/sessions/current',
  'GET /api/me',
  'PUT /api/me/password',
  'POST /api/password-resets',
  'POST /api/password-resets/confirm',
  // Categories, subscriptions, notification settings
  'GET /api/categories',
  'GET /api/me/subscriptions',
  'PUT /api/me/subscriptions/{categoryId}',
  'DELETE /api/me/subscriptions/{categoryId}',
  'GET /api/me/notification-settings',
  'PUT /api/me/notification-settings',
  // Tasks
  'POST /api/tasks',
  'GET /api/tasks',
  'GET /api/tasks/{id}',
  'GET /api/me/tasks',
  'POST /api/tasks/{id}/take',
  'POST /api/tasks/{id}/apply',
  'POST /api/tasks/{id}/abandon',
  'POST /api/tasks/{id}/submit',
  'GET /api/tasks/{id}/applications',
  'POST /api/tasks/{id}/assign',
  'POST /api/tasks/{id}/accept',
  'POST /api/tasks/{id}/reject',
  'POST /api/tasks/{id}/cancel',
  'POST /api/admin/tasks/{id}/freeze',
  'POST /api/admin/tasks/{id}/unfreeze',
  // Money
  'POST /api/payments',
  'GET /api/payments',
  'POST /api/robokassa/result',
  'GET /api/robokassa/success',
  'GET /api/robokassa/fail',
  'POST /api/payouts',
  'GET /api/payouts',
  'GET /api/me/ledger',
  'GET /api/admin/payouts',
  'POST /api/admin/payouts/{id}/approve',
  'POST /api/admin/payouts/{id}/reject',
  'GET /api/admin/ledger/check',
  // Admin and operations
  'GET /api/admin/stats',
  'GET /api/admin/errors',
  'GET /api/admin/jobs',
  'POST /api/admin/jobs/{id}/retry',
  'GET /api/health',
  // v2: conversations, reviews and profiles, blocks and appeals
  'POST /api/tasks/{id}/messages',
  'GET /api/tasks/{id}/messages',
  'GET /api/me/conversations',
  'POST /api/tasks/{id}/review',
  'GET /api/accounts/{id}/profile',
  'GET /api/accounts/{id}/reviews',
  'GET /api/tasks/{id}/reviews',
  'POST /api/admin/reviews/{id}/hide',
  'POST /api/admin/accounts/{id}/block',
  'POST /api/admin/accounts/{id}/unblock',
  'POST /api/me/appeals',
  'GET /api/me/appeals',
  'GET /api/admin/appeals',
  'POST /api/admin/appeals/{id}/decide',
];

// Names of shared/config.ts an AWS function does without, and why; every other one must be set.
const NOT_IN_AWS: Record<string, string> = {
  API_PORT: 'local stack only',
  WEB_PORT: 'local stack only',
  MAIL_UI_PORT: 'local stack only',
  RATE_LIMIT_KEY_PREFIX: 'keeps side-by-side test APIs apart; one API per stack needs only the default',
  DB_PASSWORD: 'no password: the functions sign in to RDS Proxy with IAM tokens',
  ADMIN_PASSWORD: 'migrate reads it from the secret named by ADMIN_SECRET_ARN',
  ORIGIN_SECRET: 'read from Secrets Manager by ORIGIN_SECRET_ARN',
  TRUSTED_PROXIES: 'no proxy of ours has a fixed address in AWS: CloudFront is believed through the origin check',
};
// Names only some functions get (their group's, serverless/groups.yml): which ones, by their config.
const isMigrate = (fn: FunctionConfig) => fn.handler.startsWith('functions/ops/migrate.');
const hasEvent = (type: string) => (fn: FunctionConfig) => (fn.events ?? []).some((e) => type in e);
const takesPayments = (fn: FunctionConfig) => /^functions\/(payments|robokassa)\//.test(fn.handler);
const GROUP_ONLY: Record<string, (fn: FunctionConfig) => boolean> = {
  ADMIN_EMAIL: isMigrate,
  ADMIN_SECRET_ARN: isMigrate,
  DB_MASTER_SECRET_ARN: isMigrate,
  DB_APP_SECRET_ARN: isMigrate,
  ROBOKASSA_PASSWORD1: takesPayments,
  ROBOKASSA_PASSWORD2: takesPayments,
  SMTP_URL: hasEvent('sqs'),
  TELEGRAM_BOT_TOKEN: hasEvent('sqs'),
  ORIGIN_SECRET_HEADER: hasEvent('httpApi'),
  ORIGIN_SECRET_ARN: hasEvent('httpApi'),
};
// The secrets that still reach a function's environment (as deploy-time references), and only its group's.
const SECRET_NAMES = ['ROBOKASSA_PASSWORD1', 'ROBOKASSA_PASSWORD2', 'TELEGRAM_BOT_TOKEN', 'SMTP_URL'];
// Set in the packaging process's environment: none may reach the template.
const CANARIES = Object.fromEntries(
  [...SECRET_NAMES, 'DB_PASSWORD', 'ADMIN_PASSWORD', 'ORIGIN_SECRET'].map((name) => [name, `canary-${name.toLowerCase()}-7f3a`]),
);

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

// CloudFormation JSON, checked by shape rather than typed.
type Json = any;
interface Resource {
  Type: string;
  Properties?: Json;
  DependsOn?: string | string[];
  Condition?: string;
}
interface FunctionConfig {
  name: string;
  handler: string;
  timeout?: number;
  events?: Json[];
}

const run = promisify(execFile);
let workDir: string;
let packageDir: string;
let template: { Resources: Record<string, Resource>; Outputs: Record<string, Json>; Conditions?: Json };
let templateText: string;
let stateText: string;
let functions: Record<string, FunctionConfig>;
let providerTimeout: number;
let printed: Json;
let leftInTmp: string[];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'execorder-package-'));
  const serviceDir = path.join(workDir, 'service');
  packageDir = path.join(workDir, 'package');
  await linkServiceDir(serviceDir);
  const config = JSON.parse(await serverless(serviceDir, ['print', '--stage', 'prod', '--format', 'json']));
  printed = config;
  functions = config.functions;
  providerTimeout = config.provider.timeout ?? 6;
  const began = Date.now();
  // Through `npm run package`'s script, with a temporary folder of the test's own to look into after.
  const tmpDir = path.join(workDir, 'tmp');
  await mkdir(tmpDir);
  await run(process.execPath, ['--import', 'tsx', PACKAGE_SCRIPT, '--stage', 'prod', '--package', packageDir], {
    cwd: serviceDir,
    env: { ...process.env, ...CANARIES, TMPDIR: tmpDir },
    timeout: PACKAGE_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  leftInTmp = await readdir(tmpDir);
  console.log(
    `[package] serverless package --stage prod: ${((Date.now() - began) / 1000).toFixed(1)} s for ${Object.keys(functions).length} functions`,
  );
  templateText = await readFile(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8');
  stateText = await readFile(path.join(packageDir, 'serverless-state.json'), 'utf8');
  template = JSON.parse(templateText);
}, PACKAGE_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const resources = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, Resource] => {
  const found = resources(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const lambdas = () => resources('AWS::Lambda::Function').map(([, r]) => r.Properties);
const lambdaOf = (fn: FunctionConfig) => lambdas().find((p) => p.FunctionName === fn.name);
const roleOf = (props: Json): Resource => template.Resources[props.Role['Fn::GetAtt'][0]]!;
const statementsOf = (role: Resource): Json[] => role.Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement);
const lambdaIdOf = (fn: FunctionConfig) => resources('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === fn.name)![0];

describe('serverless package --stage prod', () => {
  it('leaves nothing in the temporary folder: the zips were staged in a folder of its own, removed after', () => {
    // tsx (which runs the script) keeps its compile cache there, `tsx-<uid>`, reused by the next run.
    expect(leftInTmp.filter((name) => !/^tsx-\d+$/.test(name))).toEqual([]);
  });

  it('makes every function of serverless.yml a Lambda function in the VPC', () => {
    const missing = Object.entries(functions)
      .filter(([, fn]) => !lambdaOf(fn))
      .map(([key]) => key);
    expect(missing).toEqual([]);
    for (const props of lambdas()) {
      expect(props.VpcConfig?.SubnetIds, props.FunctionName).toHaveLength(2);
      expect(props.VpcConfig?.SecurityGroupIds, props.FunctionName).toEqual([{ Ref: 'LambdaSecurityGroup' }]);
    }
  });

  describe('routes every endpoint of the contract', () => {
    const shape = (routeKey: string) => routeKey.replace(/\{[^}]+\}/g, '{}');
    it.each(CONTRACT_ROUTES)('%s', (route) => {
      const routeKeys = resources('AWS::ApiGatewayV2::Route').map(([, r]) => shape(r.Properties.RouteKey));
      expect(routeKeys).toContain(shape(route));
    });
  });

  it('bundles every function into a zip of JavaScript that needs nothing but Node and the AWS SDK', () => {
    for (const [key, fn] of Object.entries(functions)) {
      const props = lambdaOf(fn);
      if (!props) continue; // reported by the first test
      const zipName = path.basename(props.Code.S3Key);
      const entries = readZip(path.join(packageDir, zipName));
      const names = [...entries.keys()];
      expect(
        names.filter((n) => /\.tsx?$/.test(n)),
        key,
      ).toEqual([]);
      const [file, exported] = splitHandler(fn.handler);
      const code = entries.get(`${file}.js`)?.();
      expect(code, `${zipName} has ${file}.js`).toBeDefined();
      expect(code).toMatch(new RegExp(`\\b${exported}\\b`));
      // esbuild writes every require it leaves with double quotes; messages quoting one use single.
      const required = [...code!.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
      const unbundled = required.filter((m) => !m.startsWith('node:') && !builtinModules.includes(m) && !m.startsWith('@aws-sdk/'));
      expect(unbundled, `${key} requires modules that are not bundled`).toEqual([]);
    }
  });

  it("gives every function each configuration name that matters in AWS, and its group's names only to its group", () => {
    const needed = Object.keys(parseConfig({})).filter((name) => !(name in NOT_IN_AWS) && !(name in GROUP_ONLY));
    for (const [key, fn] of Object.entries(functions)) {
      const props = lambdaOf(fn);
      const env = props.Environment?.Variables ?? {};
      expect(
        needed.filter((name) => !(name in env)),
        key,
      ).toEqual([]);
      expect(
        Object.keys(NOT_IN_AWS).filter((name) => name in env),
        key,
      ).toEqual([]);
      for (const [name, wants] of Object.entries(GROUP_ONLY)) expect(name in env, `${key} ${name}`).toBe(wants(fn));
      for (const name of SECRET_NAMES.filter((n) => n in env)) {
        expect(env[name], `${key} ${name}`).toMatch(/^\{\{resolve:secretsmanager:.+\}\}$/);
      }
      expect(env.SQS_QUEUE_URL).toEqual({ Ref: 'EventsQueue' });
      expect(JSON.stringify(env.SITE_URL)).toContain('SiteDistribution');
      expect(JSON.stringify(env.MEMCACHED_SERVERS)).toContain('CacheCluster');
    }
  });

  it('puts no secret literal in the template or the packaged state', () => {
    const localDefaults = parseConfig({});
    const literals = [
      ...[...SECRET_NAMES, 'DB_PASSWORD'].map((name) => String(localDefaults[name as keyof typeof localDefaults])),
      ...Object.values(CANARIES),
    ];
    for (const text of [templateText, stateText]) {
      expect(literals.filter((literal) => text.includes(literal))).toEqual([]);
    }
    const [, cluster] = only('AWS::RDS::DBCluster');
    expect(cluster.Properties.MasterUserPassword['Fn::Sub']).toMatch(
      /^\{\{resolve:secretsmanager:\$\{DbSecret\}:SecretString:password\}\}$/,
    );
  });

  it('has a VPC with two private subnets in two zones, security groups for the database and the cache, and an SQS endpoint', () => {
    const subnets = ['PrivateSubnetA', 'PrivateSubnetB'].map((id) => template.Resources[id]!);
    expect(subnets.map((s) => s.Type)).toEqual(['AWS::EC2::Subnet', 'AWS::EC2::Subnet']);
    expect(subnets.map((s) => s.Properties.AvailabilityZone['Fn::Select'][0])).toEqual([0, 1]);
    expect(subnets.every((s) => !s.Properties.MapPublicIpOnLaunch)).toBe(true);
    const ingress = (id: string) => template.Resources[id]!.Properties.SecurityGroupIngress;
    // The proxy, and the migrate function (in the functions' group), to the writer.
    expect(ingress('DbSecurityGroup')).toEqual([
      expect.objectContaining({ FromPort: 3306, ToPort: 3306, SourceSecurityGroupId: { Ref: 'DbProxySecurityGroup' } }),
      expect.objectContaining({ FromPort: 3306, ToPort: 3306, SourceSecurityGroupId: { Ref: 'LambdaSecurityGroup' } }),
    ]);
    expect(ingress('DbProxySecurityGroup')).toEqual([
      expect.objectContaining({ FromPort: 3306, ToPort: 3306, SourceSecurityGroupId: { Ref: 'LambdaSecurityGroup' } }),
    ]);
    expect(ingress('CacheSecurityGroup')).toEqual([
      expect.objectContaining({ FromPort: 11211, ToPort: 11211, SourceSecurityGroupId: { Ref: 'LambdaSecurityGroup' } }),
    ]);
    const endpoints = resources('AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties);
    const service = (p: Json) => String(p.ServiceName['Fn::Sub']).split('.').pop();
    expect(endpoints.map(service).sort()).toEqual(['s3', 'secretsmanager', 'sqs']);
    for (const p of endpoints.filter((e) => service(e) !== 's3'))
      expect(p).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    expect(endpoints.find((e) => service(e) === 's3')).toMatchObject({
      VpcEndpointType: 'Gateway',
      RouteTableIds: [{ Ref: 'PrivateRouteTable' }],
    });
  });

  it('has an Aurora MySQL 8 cluster with a writer and a reader, its password generated into Secrets Manager', () => {
    const [clusterId, cluster] = only('AWS::RDS::DBCluster');
    expect(cluster.Properties.Engine).toBe('aurora-mysql');
    expect(cluster.Properties.EngineVersion).toMatch(/^8\.0\./);
    const instances = resources('AWS::RDS::DBInstance').map(([, r]) => r.Properties);
    expect(instances).toHaveLength(2);
    expect(instances.every((i) => i.DBClusterIdentifier?.Ref === clusterId && i.PubliclyAccessible === false)).toBe(true);
    expect(template.Resources[cluster.Properties.DBSubnetGroupName.Ref]!.Properties.SubnetIds).toHaveLength(2);
    expect(template.Resources.DbSecret).toMatchObject({
      Type: 'AWS::SecretsManager::Secret',
      Properties: { GenerateSecretString: { GenerateStringKey: 'password' } },
    });
  });

  it('has memcached with two nodes', () => {
    const [, cache] = only('AWS::ElastiCache::CacheCluster');
    expect(cache.Properties).toMatchObject({ Engine: 'memcached', NumCacheNodes: 2, AZMode: 'cross-az' });
  });

  it('runs locally the queue consumer it deploys: the local relay calls the same handler with the same timeout', () => {
    const consumers = Object.values(functions).filter(hasEvent('sqs'));
    expect(consumers.map((fn) => ({ handler: fn.handler, timeoutSeconds: fn.timeout ?? providerTimeout }))).toEqual([EVENTS_CONSUMER]);
  });

  it('has the events queue with a dead-letter queue after 5 receives, outlasting its consumers', () => {
    const queue = template.Resources.EventsQueue!;
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] },
      maxReceiveCount: MAX_RECEIVES,
    });
    expect(template.Resources.EventsDeadLetterQueue!.Type).toBe('AWS::SQS::Queue');
    // A message must stay hidden for longer than its consumer may take; until a consumer exists,
    // longer than the functions' default timeout.
    const consumers = resources('AWS::Lambda::EventSourceMapping')
      .map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.EventSourceArn).includes('"EventsQueue"'))
      .map((p) => template.Resources[p.FunctionName['Fn::GetAtt'][0]]!.Properties.Timeout as number);
    const longest = Math.max(...(consumers.length > 0 ? consumers : [providerTimeout]));
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThan(longest);
    for (const consumer of resources('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties.FunctionName['Fn::GetAtt'][0])) {
      const policy = JSON.stringify(roleOf(template.Resources[consumer]!.Properties).Properties.Policies);
      for (const action of [
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ChangeMessageVisibility',
      ])
        expect(policy).toContain(action);
    }
  });

  it('schedules every `schedule` event with an EventBridge rule', () => {
    const rules = resources('AWS::Events::Rule').map(([, r]) => r.Properties);
    const scheduled = Object.values(functions).flatMap((fn) => (fn.events ?? []).filter((e) => e.schedule).map((e) => ({ fn, e })));
    expect(scheduled.length).toBeGreaterThan(0);
    for (const { fn, e } of scheduled) {
      const expression = typeof e.schedule === 'string' ? e.schedule : e.schedule.rate;
      const fnId = resources('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === fn.name)?.[0];
      const rule = rules.find((r) => JSON.stringify(r.Targets).includes(`"${fnId}"`));
      expect(rule, fn.name).toBeDefined();
      expect([rule.ScheduleExpression].flat()).toContain(expression);
    }
  });

  it('serves the site from a private bucket and /api/* from the HTTP API through one CloudFront distribution', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    const origin = (id: string) => config.Origins.find((o: Json) => o.Id === id);
    const siteOrigin = origin(config.DefaultCacheBehavior.TargetOriginId);
    expect(siteOrigin.OriginAccessControlId).toBeDefined();
    const bucket = template.Resources[siteOrigin.DomainName['Fn::GetAtt'][0]]!;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const api = config.CacheBehaviors.find((b: Json) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({ CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST });
    expect([...api.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(JSON.stringify(origin(api.TargetOriginId).DomainName)).toContain('${HttpApi}.execute-api.');
    expect(JSON.stringify(template.Resources.SiteBucketPolicy!.Properties)).toContain('cloudfront.amazonaws.com');
  });

  it('outputs the site, the API, the queues and the database endpoints', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['SiteUrl', 'ApiUrl', 'EventsQueueUrl', 'EventsDeadLetterQueueUrl', 'DbWriterEndpoint', 'DbReaderEndpoint']),
    );
  });

  it('refers only to things that exist, without a dependency cycle', () => {
    const known = new Set([...Object.keys(template.Resources), ...Object.keys(template.Conditions ?? {})]);
    const graph = new Map(Object.entries(template.Resources).map(([id, r]) => [id, dependencies(r)]));
    const dangling = [...graph].flatMap(([id, deps]) => [...deps].filter((d) => !known.has(d)).map((d) => `${id} → ${d}`));
    expect(dangling).toEqual([]);
    // The edges are found (the site's distribution points at the API), and they make no loop.
    expect(graph.get('SiteDistribution')).toContain('HttpApi');
    expect(findCycle(graph)).toBeNull();
  });
});

describe('what real traffic needs (issue 15)', () => {
  const migrate = () => Object.values(functions).find(isMigrate)!;
  const others = () => Object.values(functions).filter((fn) => !isMigrate(fn));
  const envOf = (fn: FunctionConfig) => lambdaOf(fn).Environment?.Variables ?? {};

  it("runs every function on nodejs22.x, bundled for node22 (and for this machine's Node locally)", () => {
    expect([...new Set(lambdas().map((p) => p.Runtime))]).toEqual(['nodejs22.x']);
    expect(printed.custom.esbuild.target).toBe('node22');
  });

  it('puts RDS Proxy in front of the writer and the readers, TLS and IAM required, the session SETs in its init query', () => {
    const [proxyId, proxy] = only('AWS::RDS::DBProxy');
    expect(proxy.Properties).toMatchObject({ EngineFamily: 'MYSQL', RequireTLS: true });
    expect(proxy.Properties.Auth).toEqual([
      expect.objectContaining({ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: { Ref: 'DbAppSecret' } }),
    ]);
    const [, targets] = only('AWS::RDS::DBProxyTargetGroup');
    expect(targets.Properties).toMatchObject({ DBProxyName: { Ref: proxyId }, DBClusterIdentifiers: [{ Ref: 'DbCluster' }] });
    expect(targets.Properties.ConnectionPoolConfigurationInfo.InitQuery).toBe(SESSION_SETTINGS);
    const [readerId, reader] = only('AWS::RDS::DBProxyEndpoint');
    expect(reader.Properties).toMatchObject({ DBProxyName: { Ref: proxyId }, TargetRole: 'READ_ONLY' });
    // The proxy may read the application user's secret and nothing else.
    expect(statementsOf(template.Resources[proxy.Properties.RoleArn['Fn::GetAtt'][0]]!)).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: 'DbAppSecret' } }),
    ]);
    for (const fn of others()) {
      const env = envOf(fn);
      expect(env.DB_PRIMARY_HOST, fn.name).toEqual({ 'Fn::GetAtt': [proxyId, 'Endpoint'] });
      expect(env.DB_REPLICA_HOST, fn.name).toEqual({ 'Fn::GetAtt': [readerId, 'Endpoint'] });
      expect(env, fn.name).toMatchObject({ DB_AUTH: 'iam', DB_TLS: '1', DB_SESSION_BY_PROXY: '1' });
      // One request at a time per container: a pool or two of at most 2.
      expect(Number(env.DB_POOL_SIZE)).toBeGreaterThanOrEqual(1);
      expect(Number(env.DB_POOL_SIZE)).toBeLessThanOrEqual(2);
      expect(parseConfig({ DB_AUTH: env.DB_AUTH as string }).DB_AUTH).toBe('iam');
    }
  });

  it('connects as the application user that migrate makes, with the database password nowhere in a function', () => {
    const appSecret = template.Resources.DbAppSecret!;
    const appUser = JSON.parse(appSecret.Properties.GenerateSecretString.SecretStringTemplate).username;
    expect(appUser).not.toBe(JSON.parse(template.Resources.DbSecret!.Properties.GenerateSecretString.SecretStringTemplate).username);
    for (const fn of others()) expect(envOf(fn).DB_USER, fn.name).toBe(appUser);
    // migrate signs in as the master to the writer itself, and is told where both users' secrets are.
    expect(envOf(migrate())).toMatchObject({
      DB_PRIMARY_HOST: { 'Fn::GetAtt': ['DbCluster', 'Endpoint.Address'] },
      DB_MASTER_SECRET_ARN: { Ref: 'DbSecret' },
      DB_APP_SECRET_ARN: { Ref: 'DbAppSecret' },
      DB_TLS: '1',
    });
    // No function's environment resolves a database secret, the admin's password or the origin secret.
    for (const props of lambdas()) {
      const text = JSON.stringify(props.Environment);
      expect(text, props.FunctionName).not.toMatch(/resolve:secretsmanager:\$\{(DbSecret|DbAppSecret|OriginSecret)\}/);
      expect(text, props.FunctionName).not.toMatch(/ADMIN_PASSWORD|DB_PASSWORD|"ORIGIN_SECRET"/);
    }
  });

  it('has the HTTP functions check a secret origin header that only CloudFront adds, from Secrets Manager', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const api = distribution.Properties.DistributionConfig.Origins.find((o: Json) => o.Id === 'api');
    expect(api.OriginCustomHeaders).toEqual([
      {
        HeaderName: expect.stringMatching(/^[a-z0-9-]+$/),
        HeaderValue: { 'Fn::Sub': '{{resolve:secretsmanager:${OriginSecret}:SecretString}}' },
      },
    ]);
    const header = api.OriginCustomHeaders[0].HeaderName;
    for (const fn of Object.values(functions).filter(hasEvent('httpApi'))) {
      expect(envOf(fn), fn.name).toMatchObject({ ORIGIN_SECRET_HEADER: header, ORIGIN_SECRET_ARN: { Ref: 'OriginSecret' } });
      expect(JSON.stringify(statementsOf(roleOf(lambdaOf(fn)))), fn.name).toContain('{"Ref":"OriginSecret"}');
    }
    // The client's address: the managed policy forwards CloudFront-Viewer-Address with the viewer's headers.
    expect(distribution.Properties.DistributionConfig.CacheBehaviors[0].OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST);
  });

  it('puts the distribution behind the WAF stack of serverless/waf.yml (common rules and a rate limit) and throttles the stage', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    expect(distribution.Properties.DistributionConfig.WebACLId).toBe('{{resolve:ssm:/execorder/prod/WEB_ACL_ARN}}');
    const waf = yaml.load(readFileSync(path.join(REPO, 'serverless/waf.yml'), 'utf8')) as Json;
    const [acl] = Object.values(waf.Resources as Record<string, Resource>).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
    expect(acl!.Properties.Scope).toBe('CLOUDFRONT');
    const statements = acl!.Properties.Rules.map((r: Json) => r.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        ManagedRuleGroupStatement: expect.objectContaining({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' }),
      }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ RateBasedStatement: expect.objectContaining({ AggregateKeyType: 'IP' }) }));
    const settings = only('AWS::ApiGatewayV2::Stage')[1].Properties.DefaultRouteSettings;
    expect(Number(settings.ThrottlingRateLimit)).toBeGreaterThan(0);
    expect(Number(settings.ThrottlingBurstLimit)).toBeGreaterThan(0);
  });

  it("runs the migrations as a custom resource of the deploy, before the API's stage and every other function", () => {
    const [migrationsId, migrations] = only('Custom::Migrations');
    expect(migrations.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [lambdaIdOf(migrate()), 'Arn'] });
    expect(migrations.DependsOn).toContain('DbWriterInstance');
    // A new migration file changes the resource, so the next deploy runs it.
    expect(migrations.Properties.Migrations).toEqual(
      readdirSync(path.join(REPO, 'migrations'))
        .filter((f) => /^\d{4}.*\.sql$/.test(f))
        .sort(),
    );
    expect([only('AWS::ApiGatewayV2::Stage')[1].DependsOn].flat()).toContain(migrationsId);
    for (const fn of others()) expect([template.Resources[lambdaIdOf(fn)]!.DependsOn].flat(), fn.name).toContain(migrationsId);
    expect(lambdaOf(migrate()).Timeout).toBeGreaterThanOrEqual(300);
  });

  it('gives each group of functions a role of its own with only its statements', () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const byRole = new Map<string, FunctionConfig[]>();
    for (const fn of Object.values(functions)) {
      const roleId = lambdaOf(fn).Role['Fn::GetAtt'][0];
      byRole.set(roleId, [...(byRole.get(roleId) ?? []), fn]);
    }
    expect(byRole.size).toBeGreaterThanOrEqual(4);
    for (const [roleId, members] of byRole) {
      const role = template.Resources[roleId]!;
      const statements = statementsOf(role);
      // Logs only to its own functions' log groups; no `*` anywhere.
      const logs = statements.find((st) => JSON.stringify(st.Action).includes('logs:PutLogEvents'));
      expect(logs.Resource.map((r: Json) => r['Fn::Sub'].split(':log-group:')[1]).sort(), roleId).toEqual(
        members.map((fn) => `/aws/lambda/${fn.name}:*`).sort(),
      );
      expect(JSON.stringify(statements), roleId).not.toMatch(/"Resource":"\*"|"Resource":\["\*"\]/);
      const text = JSON.stringify(statements);
      expect(text.includes('sqs:ReceiveMessage'), roleId).toBe(members.some(hasEvent('sqs')));
      expect(text.includes('rds-db:connect'), roleId).toBe(!members.some(isMigrate));
      expect(text.includes('{"Ref":"DbSecret"}'), roleId).toBe(members.some(isMigrate));
    }
  });

  it("alarms to one SNS topic: dead letters, every function's errors and throttles, API 5xx and 429 rates, database connections, cache evictions", () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(template.Resources.AlarmTopic!.Type).toBe('AWS::SNS::Topic');
    const watched = (alarm: Json) => [alarm, ...(alarm.Metrics ?? []).map((m: Json) => m.MetricStat?.Metric).filter(Boolean)];
    const finds = (namespace: string, metric: string) =>
      alarms.filter((a) => watched(a).some((m: Json) => m.Namespace === namespace && m.MetricName === metric));
    expect(finds('AWS/SQS', 'ApproximateNumberOfMessagesVisible').map((a) => a.Dimensions[0].Value)).toEqual([
      { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'QueueName'] },
    ]);
    expect(finds('AWS/ApiGateway', '5xx')).toHaveLength(1);
    expect(finds('execorder/prod', 'Http429')).toHaveLength(1);
    expect(only('AWS::Logs::MetricFilter')[1].Properties).toMatchObject({
      LogGroupName: { Ref: 'HttpApiLogGroup' },
      FilterPattern: '{ $.status = "429" }',
    });
    expect(finds('AWS/RDS', 'DatabaseConnections')).toHaveLength(1);
    expect(finds('AWS/ElastiCache', 'Evictions')).toHaveLength(1);
    // The HTTP functions by one Metrics Insights query per metric over the region's functions, the
    // other groups function by function.
    const http = Object.values(functions).filter((fn) => hasEvent('httpApi')(fn) && !takesPayments(fn));
    for (const metric of ['Errors', 'Throttles']) {
      const covered = finds('AWS/Lambda', metric).flatMap((a) =>
        a.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => m.MetricStat.Metric.Dimensions[0].Value.Ref),
      );
      expect(covered.sort(), metric).toEqual(
        Object.values(functions)
          .filter((fn) => !http.includes(fn))
          .map(lambdaIdOf)
          .sort(),
      );
      const queries = alarms
        .flatMap((a) => (a.Metrics ?? []).map((m: Json) => m.Expression))
        .filter((e: unknown) => typeof e === 'string' && e.startsWith('SELECT'));
      expect(queries, metric).toContain(`SELECT SUM(${metric}) FROM SCHEMA("AWS/Lambda", FunctionName)`);
    }
    // CloudFormation's limit of resources in one stack (a new HTTP function costs five: serverless/CAPACITY.md).
    expect(Object.keys(template.Resources).length).toBeLessThan(500);
  });

  it("caps the queue consumer's concurrency and uses fixed-performance database and cache nodes in prod", () => {
    for (const [, mapping] of resources('AWS::Lambda::EventSourceMapping')) {
      expect(mapping.Properties.ScalingConfig?.MaximumConcurrency).toBeGreaterThanOrEqual(2);
    }
    expect(only('AWS::ElastiCache::CacheCluster')[1].Properties.CacheNodeType).not.toMatch(/\.t\d/);
    for (const [, instance] of resources('AWS::RDS::DBInstance')) expect(instance.Properties.DBInstanceClass).not.toMatch(/\.t\d/);
  });

  it('passes cfn-lint when it is installed', async (ctx) => {
    const version = await run('cfn-lint', ['--version']).catch(() => null);
    if (!version) {
      console.warn('[package] cfn-lint is not installed (pip install cfn-lint): the lint is skipped');
      ctx.skip();
      return;
    }
    // W3005 (a DependsOn beside a Ref that implies it) is the framework's own output for every route and role.
    const file = path.join(packageDir, 'cloudformation-template-update-stack.json');
    const lint = await run('cfn-lint', ['--ignore-checks', 'W3005', '--', file, path.join(REPO, 'serverless/waf.yml')], {
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      () => '',
      (err: Error & { stdout?: string }) => err.stdout ?? err.message,
    );
    expect(lint).toBe('');
  }, 120_000);
});

describe('the edge: security headers, CORS and the viewer address', () => {
  const distribution = () => only('AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;

  it('adds the security headers of the local site, and HSTS, to every answer of the site and the API', () => {
    const [policyId, policy] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: SECURITY_HEADERS['content-security-policy'], Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: SECURITY_HEADERS['referrer-policy'], Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: SECURITY_HEADERS['x-frame-options'], Override: true });
    expect(headers.StrictTransportSecurity).toMatchObject({ Override: true });
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    const config = distribution();
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId, behavior.PathPattern ?? 'default').toEqual({ Ref: policyId });
    }
  });

  it('lets no other origin use the API: no CORS configuration, so no CORS header', () => {
    const [, api] = only('AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it('has every HTTP function read the viewer from CloudFront-Viewer-Address, behind the origin check', () => {
    for (const props of lambdas().filter((p) => p.Environment.Variables.ORIGIN_SECRET_HEADER)) {
      expect(props.Environment.Variables.CLIENT_IP_HEADER, props.FunctionName).toBe('cloudfront-viewer-address');
    }
    expect(lambdas().filter((p) => p.Environment.Variables.ORIGIN_SECRET_HEADER).length).toBeGreaterThan(40);
  });
});

describe('serverless print --stage local', () => {
  it('leaves serverless-offline the launcher environment: no variables, no VPC, no stack', async () => {
    const local = JSON.parse(await serverless(REPO, ['print', '--stage', 'local', '--format', 'json']));
    expect(local.provider.environment ?? {}).toEqual({});
    expect(local.provider.vpc ?? null).toBeNull();
    expect(local.resources ?? {}).toEqual({});
    for (const fn of Object.values<Json>(local.functions)) expect(fn.environment ?? {}).toEqual({});
    // serverless-offline runs the bundles in this machine's Node.
    expect(local.custom.esbuild.target).toBe(`node${process.versions.node.split('.')[0]}`);
  }, 60_000);
});

async function serverless(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [SERVERLESS, ...args], {
    cwd,
    timeout: PACKAGE_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

// A service folder of links back to the repository, as local/api.ts makes for the API:
// serverless-esbuild builds in (and then deletes) `<service folder>/.esbuild`, which must not be
// one another run of the framework is using.
async function linkServiceDir(serviceDir: string): Promise<void> {
  await mkdir(serviceDir, { recursive: true });
  for (const entry of await readdir(REPO)) {
    if (entry.startsWith('.') || entry === 'frontend' || entry === 'serverless.yml') continue;
    await symlink(path.join(REPO, entry), path.join(serviceDir, entry));
  }
  await copyFile(path.join(REPO, 'serverless.yml'), path.join(serviceDir, 'serverless.yml'));
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

/** The entries of a zip file, each read (and inflated) on demand. */
function readZip(file: string): Map<string, () => string> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file} is not a zip`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, () => string>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, () => {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 0 ? data : inflateRawSync(data)).toString('utf8');
    });
    at += 46 + skip;
  }
  return entries;
}

/** The logical ids a resource refers to: Ref, Fn::GetAtt, ${...} in Fn::Sub, DependsOn, Condition. */
function dependencies(resource: Resource): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  if (resource.Condition) found.add(resource.Condition);
  const visit = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') found.add(value);
      else if (key === 'Fn::GetAtt') found.add(Array.isArray(value) ? value[0] : String(value).split('.')[0]);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? value[0] : value;
        // The list form's own variables (its second element) name no resource.
        const local = new Set(Array.isArray(value) ? Object.keys(value[1] ?? {}) : []);
        for (const m of String(text).matchAll(/\$\{([^}!.]+)[^}]*\}/g)) if (!local.has(m[1]!)) found.add(m[1]!);
        if (Array.isArray(value)) visit(value[1]);
      } else visit(value);
    }
  };
  visit(resource.Properties);
  for (const id of found) if (id.startsWith('AWS::')) found.delete(id);
  return found;
}

function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const walk = (id: string, trail: string[]): string[] | null => {
    if (state.get(id) === 'done' || !graph.has(id)) return null;
    if (state.get(id) === 'open') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'open');
    for (const next of graph.get(id)!) {
      const cycle = walk(next, [...trail, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return null;
  };
  for (const id of graph.keys()) {
    const cycle = walk(id, []);
    if (cycle) return cycle;
  }
  return null;
}
