// Lets tests, which run in vitest workers apart from the process that owns the stack, stop and
// start its services and run extra APIs. Started only for test stacks; loopback only.
import http from 'node:http';
import { listenOnLoopback } from './loopback';
import type { ServiceControl, ServiceName } from './service-control';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

type ServiceAction = 'stop' | 'start' | 'freeze' | 'thaw';

export async function startControlServer(stack: ServiceControl, port: number): Promise<ControlServer> {
  const extraApis: { stop(): Promise<void> }[] = [];
  const actions: Record<ServiceAction, (name: ServiceName) => Promise<void>> = {
    stop: stack.stopService,
    start: stack.startService,
    freeze: stack.freezeService,
    thaw: stack.thawService,
  };

  async function route(method: string, url: string, body: string): Promise<[number, unknown?]> {
    const service = /^\/services\/([a-z0-9]+)\/(stop|start|freeze|thaw)$/.exec(url);
    if (method === 'POST' && service) {
      const name = service[1] as ServiceName; // the stack rejects a name it does not know
      await actions[service[2] as ServiceAction](name);
      return [204];
    }
    if (url === '/apis' && method === 'POST') {
      const api = await stack.startExtraApi(body ? (JSON.parse(body) as Record<string, string>) : {});
      extraApis.push(api);
      return [201, { url: api.url }];
    }
    if (url === '/apis' && method === 'DELETE') {
      await Promise.all(extraApis.splice(0).map((api) => api.stop()));
      return [204];
    }
    return [404, { error: 'no such route' }];
  }

  const server = http.createServer((req, res) => void answer(req, res));
  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const [status, answer] = await route(req.method ?? 'GET', req.url ?? '/', body);
      res.writeHead(status, answer ? { 'content-type': 'application/json' } : {});
      res.end(answer ? JSON.stringify(answer) : undefined);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: (err as Error).message }));
    }
  }
  return listenOnLoopback(server, port);
}

/** The tests' side of the control server. Extra APIs stay up until `stopExtraApis`. */
export function controlClient(controlUrl: string) {
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(controlUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  return {
    stopService: async (name: ServiceName) => void (await call('POST', `/services/${name}/stop`)),
    startService: async (name: ServiceName) => void (await call('POST', `/services/${name}/start`)),
    freezeService: async (name: ServiceName) => void (await call('POST', `/services/${name}/freeze`)),
    thawService: async (name: ServiceName) => void (await call('POST', `/services/${name}/thaw`)),
    startExtraApi: async (env: Record<string, string>) => (await call('POST', '/apis', env)) as { url: string },
    stopExtraApis: async () => void (await call('DELETE', '/apis')),
  };
}
