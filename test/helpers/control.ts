// Stopping and starting the stack's services from a test (through the launcher's control server).
import { stack } from './http';

export type ServiceName = 'primary' | 'replica' | 'memcached1' | 'memcached2' | 'maildev' | 'api' | 'sqs';

async function control(method: string, path: string, body?: unknown): Promise<any> {
  if (!stack.urls.control) throw new Error('the stack has no control server');
  const res = await fetch(`${stack.urls.control}${path}`, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

export const stopService = (name: ServiceName) => control('POST', `/services/${name}/stop`);
export const startService = (name: ServiceName) => control('POST', `/services/${name}/start`);

/** Another API over the same databases and caches, with environment overrides (e.g. low rate limits). */
export async function extraApi(env: Record<string, string>): Promise<string> {
  return (await control('POST', '/apis', env)).url;
}
export const stopExtraApis = () => control('DELETE', '/apis');

/** Runs `work` with a service stopped, and always starts it again. */
export async function without<T>(name: ServiceName, work: () => Promise<T>): Promise<T> {
  await stopService(name);
  try {
    return await work();
  } finally {
    await startService(name);
  }
}
