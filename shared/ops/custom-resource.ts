// A Lambda-backed CloudFormation custom resource: CloudFormation invokes the function with a
// request and waits (up to an hour) for the answer PUT to the request's pre-signed ResponseURL.
// The stack goes on only after SUCCESS; FAILED rolls the deploy back.
import { log } from '../log';

export interface CustomResourceRequest {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  ResourceProperties: Record<string, unknown>;
}

export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** CloudFormation refuses a response body over 4 KiB; the reason is where a long error goes. */
const MAX_REASON = 1000;

export function isCustomResourceRequest(event: unknown): event is CustomResourceRequest {
  const e = event as Partial<CustomResourceRequest> | null;
  return typeof e?.RequestType === 'string' && typeof e.ResponseURL === 'string' && typeof e.StackId === 'string';
}

/**
 * The answer to a request, given what the work did. The physical id stays the same across
 * updates: a new one would make CloudFormation Delete the "old" resource after an update.
 */
export function customResourceResponse(
  request: CustomResourceRequest,
  outcome: { data: Record<string, string> } | { error: unknown },
): CustomResourceResponse {
  const base = {
    PhysicalResourceId: request.PhysicalResourceId ?? `${request.LogicalResourceId}-${request.RequestId}`,
    StackId: request.StackId,
    RequestId: request.RequestId,
    LogicalResourceId: request.LogicalResourceId,
  };
  if ('error' in outcome) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    return { ...base, Status: 'FAILED', Reason: message.slice(0, MAX_REASON) };
  }
  return { ...base, Status: 'SUCCESS', Data: outcome.data };
}

/** PUT to the pre-signed S3 URL; its signature covers no Content-Type, so none is sent. */
async function sendCustomResourceResponse(url: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response refused: ${res.status} ${await res.text()}`);
}

/** Runs the work for Create and Update (Delete does nothing), then answers CloudFormation either way. */
export async function answerCustomResource(
  request: CustomResourceRequest,
  work: () => Promise<Record<string, string>>,
): Promise<CustomResourceResponse> {
  let response: CustomResourceResponse;
  try {
    response = customResourceResponse(request, { data: request.RequestType === 'Delete' ? {} : await work() });
  } catch (error) {
    log.error('custom resource failed', error);
    response = customResourceResponse(request, { error });
  }
  await sendCustomResourceResponse(request.ResponseURL, response);
  return response;
}
