import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config';

describe('configuration', () => {
  it('gives the local stack its defaults', () => {
    expect(parseConfig({}).ROBOKASSA_PASSWORD2).toBe('local-password-2');
  });

  it('stops an AWS stage that lacks a secret instead of using the local default', () => {
    expect(() => parseConfig({ STAGE: 'prod', ROBOKASSA_PASSWORD2: '' })).toThrow(/ROBOKASSA_PASSWORD2/);
  });

  it('takes an AWS stage that sets every required name', () => {
    const env = Object.fromEntries(['SITE_URL', 'DB_PRIMARY_HOST', 'DB_REPLICA_HOST', 'DB_USER', 'MEMCACHED_SERVERS', 'SQS_QUEUE_URL',
      'ROBOKASSA_LOGIN', 'ROBOKASSA_PASSWORD1', 'ROBOKASSA_PASSWORD2', 'SMTP_URL', 'MAIL_FROM', 'TELEGRAM_BOT_TOKEN']
      .map((name) => [name, name === 'SITE_URL' ? 'https://execorder.example' : `set-${name}`]));
    expect(parseConfig({ ...env, STAGE: 'prod' }).ROBOKASSA_PASSWORD2).toBe('set-ROBOKASSA_PASSWORD2');
  });
});
