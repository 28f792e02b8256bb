import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config';

describe('configuration', () => {
  it('gives the local stack its defaults', () => {
    expect(parseConfig({}).ROBOKASSA_PASSWORD2).toBe('local-password-2');
  });

  const aws = Object.fromEntries(
    ['SITE_URL', 'DB_PRIMARY_HOST', 'DB_REPLICA_HOST', 'DB_USER', 'MEMCACHED_SERVERS', 'SQS_QUEUE_URL', 'MAIL_FROM'].map((name) => [
      name,
      name === 'SITE_URL' ? 'https://execorder.example' : `set-${name}`,
    ]),
  );

  it('stops an AWS stage that lacks what every function is given', () => {
    expect(() => parseConfig({ ...aws, STAGE: 'prod', SQS_QUEUE_URL: '' })).toThrow(/SQS_QUEUE_URL/);
  });

  it('never lets an AWS function use the local default of a secret it was not given', () => {
    const settings = parseConfig({ ...aws, STAGE: 'prod', ROBOKASSA_PASSWORD1: 'set' });
    expect(settings.ROBOKASSA_PASSWORD1).toBe('set');
    expect(() => settings.ROBOKASSA_PASSWORD2).toThrow(/ROBOKASSA_PASSWORD2 is not set in stage prod/);
  });
});
