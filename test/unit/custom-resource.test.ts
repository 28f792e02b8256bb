// The migrate function's answers to CloudFormation: one PUT to the pre-signed ResponseURL, with no
// Content-Type (the signature covers none), SUCCESS or FAILED with the reason, the same physical id
// on every update, and nothing done for a Delete.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerCustomResource,
  customResourceResponse,
  isCustomResourceRequest,
  type CustomResourceRequest,
} from '../../shared/ops/custom-resource';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: any;
}
let received: Received[] = [];
let status = 200;
let baseUrl: string;
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    received.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], body: JSON.parse(body) });
    res.writeHead(status).end(status === 200 ? '' : 'AccessDenied');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = (type: CustomResourceRequest['RequestType'], extra: Partial<CustomResourceRequest> = {}): CustomResourceRequest => ({
  RequestType: type,
  ResponseURL: `${baseUrl}/cloudformation-response/abc?X-Amz-Signature=sig`,
  StackId: 'arn:aws:cloudformation:eu-central-1:123456789012:stack/execorder-prod/guid',
  RequestId: `req-${type}`,
  LogicalResourceId: 'Migrations',
  ResourceType: 'Custom::Migrations',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:…', Migrations: ['0001_a.sql'] },
  ...extra,
});

describe('custom resource requests', () => {
  it('tells a CloudFormation request from a direct invocation', () => {
    expect(isCustomResourceRequest(request('Create'))).toBe(true);
    expect(isCustomResourceRequest({})).toBe(false);
    expect(isCustomResourceRequest(undefined)).toBe(false);
  });

  it("answers with the request's ids, and keeps the physical id given on an update", () => {
    const created = customResourceResponse(request('Create'), { data: { Applied: '3' } });
    expect(created).toEqual({
      Status: 'SUCCESS',
      Data: { Applied: '3' },
      PhysicalResourceId: 'Migrations-req-Create',
      StackId: request('Create').StackId,
      RequestId: 'req-Create',
      LogicalResourceId: 'Migrations',
    });
    const updated = customResourceResponse(request('Update', { PhysicalResourceId: created.PhysicalResourceId }), { data: {} });
    expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
  });

  it("fails with the error's message, cut to fit CloudFormation's limit", () => {
    const failed = customResourceResponse(request('Create'), { error: new Error(`migration 0009_x.sql failed: ${'x'.repeat(5000)}`) });
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toMatch(/^migration 0009_x\.sql failed: x+$/);
    expect(failed.Reason!.length).toBeLessThanOrEqual(1000);
    expect(failed.Data).toBeUndefined();
  });
});

describe('answerCustomResource', () => {
  it('runs the work on Create and PUTs SUCCESS to the ResponseURL without a Content-Type', async () => {
    received = [];
    let runs = 0;
    const response = await answerCustomResource(request('Create'), () => Promise.resolve({ Applied: String(++runs) }));
    expect(runs).toBe(1);
    expect(received).toEqual([
      {
        method: 'PUT',
        url: '/cloudformation-response/abc?X-Amz-Signature=sig',
        contentType: expect.toBeOneOf(['', undefined]),
        body: response,
      },
    ]);
    expect(received[0]!.body).toMatchObject({ Status: 'SUCCESS', Data: { Applied: '1' } });
  });

  it('does nothing on Delete (the schema outlives the stack) and still answers SUCCESS', async () => {
    received = [];
    let runs = 0;
    await answerCustomResource(request('Delete', { PhysicalResourceId: 'Migrations-req-Create' }), () =>
      Promise.resolve({ Applied: String(++runs) }),
    );
    expect(runs).toBe(0);
    expect(received.map((r) => [r.body.Status, r.body.PhysicalResourceId])).toEqual([['SUCCESS', 'Migrations-req-Create']]);
  });

  it('answers FAILED when the work throws, so that the deploy rolls back instead of waiting', async () => {
    received = [];
    const response = await answerCustomResource(request('Update', { PhysicalResourceId: 'p1' }), () =>
      Promise.reject(new Error('connect ETIMEDOUT')),
    );
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'connect ETIMEDOUT', PhysicalResourceId: 'p1' });
    expect(received.map((r) => r.body.Status)).toEqual(['FAILED']);
  });

  it('throws when S3 refuses the answer (the invocation fails and shows in the logs)', async () => {
    status = 403;
    try {
      await expect(answerCustomResource(request('Create'), () => Promise.resolve({}))).rejects.toThrow(/403 AccessDenied/);
    } finally {
      status = 200;
    }
  });
});
