// How the pools connect: locally with the configured password and no TLS; in AWS without any
// password, over TLS with the RDS CA bundle, each connection signing its own RDS IAM token.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../shared/config';
import { poolOptions } from '../../shared/db/nodes';

const AWS_ENV = { DB_AUTH: 'iam', DB_TLS: '1', DB_SESSION_BY_PROXY: '1', DB_USER: 'execorder_app', DB_POOL_SIZE: '2' };
const PROXY = 'execorder-prod.proxy-abc.eu-central-1.rds.amazonaws.com';

afterEach(() => vi.unstubAllEnvs());

describe('poolOptions', () => {
  it('uses the password and no TLS on the local stack', () => {
    const options = poolOptions(parseConfig({ DB_PASSWORD: 'pw' }), '127.0.0.1', 3316);
    expect(options).toMatchObject({ host: '127.0.0.1', port: 3316, user: 'execorder', password: 'pw', connectionLimit: 10 });
    expect(options.ssl).toBeUndefined();
    expect(options.authPlugins).toBeUndefined();
  });

  it('signs in to RDS Proxy with an IAM token over TLS in AWS, with no password and a pool of two', async () => {
    const options = poolOptions(parseConfig({ ...AWS_ENV, DB_PASSWORD: 'never-sent' }), PROXY, 3306);
    expect(options).toMatchObject({ host: PROXY, user: 'execorder_app', ssl: 'Amazon RDS', connectionLimit: 2, maxIdle: 2 });
    expect(options.password).toBeUndefined();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const plugin = options.authPlugins!.mysql_clear_password!({ connection: {} as never, command: {} as never });
    const sent = (await plugin(Buffer.alloc(0))) as Buffer;
    // mysql_clear_password: the token and a terminating zero byte.
    expect(sent.at(-1)).toBe(0);
    const token = sent.subarray(0, -1).toString();
    expect(token.startsWith(`${PROXY}:3306/?`)).toBe(true);
    const query = new URLSearchParams(token.slice(token.indexOf('?') + 1));
    expect(query.get('Action')).toBe('connect');
    expect(query.get('DBUser')).toBe('execorder_app');
    expect(query.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-central-1\/rds-db\/aws4_request$/);
    expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses TLS without IAM when only DB_TLS is set', () => {
    const options = poolOptions(parseConfig({ DB_TLS: 'true', DB_PASSWORD: 'pw' }), 'writer', 3306);
    expect(options).toMatchObject({ ssl: 'Amazon RDS', password: 'pw' });
  });
});
