// The origin check: off unless ORIGIN_SECRET_HEADER is set; then only a request carrying the
// secret (as CloudFront adds it) passes.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config';
import { fromOrigin } from '../../shared/http/origin';

const settings = parseConfig({ ORIGIN_SECRET_HEADER: 'x-origin-verify', ORIGIN_SECRET: 's3cr3t-value' });

describe('fromOrigin', () => {
  it('lets everything through when the check is off (the local stack)', async () => {
    expect(await fromOrigin({}, parseConfig({}))).toBe(true);
  });

  it('passes the request that carries the secret, and only that one', async () => {
    expect(await fromOrigin({ 'x-origin-verify': 's3cr3t-value' }, settings)).toBe(true);
    expect(await fromOrigin({ 'x-origin-verify': 's3cr3t-valuE' }, settings)).toBe(false);
    expect(await fromOrigin({ 'x-origin-verify': 's3cr3t' }, settings)).toBe(false);
    expect(await fromOrigin({ 'x-origin-verify': '' }, settings)).toBe(false);
    expect(await fromOrigin({}, settings)).toBe(false);
  });

  it('refuses everything when the header is named but no secret is known', async () => {
    expect(await fromOrigin({ 'x-origin-verify': '' }, parseConfig({ ORIGIN_SECRET_HEADER: 'x-origin-verify' }))).toBe(false);
  });
});
