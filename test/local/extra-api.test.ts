// A second API beside the stack's own, as the rate-limit tests use: each runs in a service folder
// of its own, so neither disturbs the other. Booting one takes what the machine gives it (cached
// bundles: seconds; bundling on a busy machine: minutes), so the test waits as long as the launcher does.
import { afterAll, expect, inject, it } from 'vitest';
import { controlClient } from '../../local/control';

const { urls } = inject('stack');
const control = controlClient(urls.control!);

afterAll(() => control.stopExtraApis(), 120_000);

it('runs an extra API on its own port beside the stack API, until stopped', async () => {
  const extra = await control.startExtraApi({ COMMISSION_PERCENT: '5' });
  expect(extra.url).not.toBe(urls.api);
  const [own, shared] = await Promise.all([fetch(`${extra.url}/api/health`), fetch(urls.health)]);
  expect(own.status).toBe(200);
  expect(shared.status).toBe(200);

  await control.stopExtraApis();
  await expect(fetch(`${extra.url}/api/health`)).rejects.toThrow();
  expect((await fetch(urls.health)).status).toBe(200);
}, 600_000);
