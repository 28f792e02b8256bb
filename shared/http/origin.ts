// The side door: in AWS the HTTP API's own execute-api address answers anyone, so CloudFront adds a
// secret header (serverless/site.yml) and a request without it did not come through CloudFront (nor
// its WAF). The lead wires `fromOrigin` into the pipeline; the local stack leaves the check off.
import { timingSafeEqual } from 'node:crypto';
import { config, type Config } from '../config';
import { secretString } from '../aws/secrets';

type Headers = Record<string, string | undefined>;

/** The value CloudFront sends: ORIGIN_SECRET, or in AWS the secret named by ORIGIN_SECRET_ARN. */
async function expectedSecret(settings: Config): Promise<string> {
  return settings.ORIGIN_SECRET_ARN ? secretString(settings.ORIGIN_SECRET_ARN) : settings.ORIGIN_SECRET;
}

/** True when the check is off or the request carries the origin secret (compared in constant time). */
export async function fromOrigin(headers: Headers, settings: Config = config): Promise<boolean> {
  if (!settings.ORIGIN_SECRET_HEADER) return true;
  const expected = Buffer.from(await expectedSecret(settings));
  const given = Buffer.from(headers[settings.ORIGIN_SECRET_HEADER] ?? '');
  return expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
}
