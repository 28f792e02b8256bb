// The ports of the local stack: fixed defaults a developer can override by environment variable
// of the same name, or, for tests, free ports chosen by the kernel.
import net from 'node:net';

const DEFAULT_PORTS = {
  API_PORT: 3000,
  LAMBDA_PORT: 3002,
  WEB_PORT: 8080,
  MAIL_UI_PORT: 1080,
  SMTP_PORT: 1025,
  DB_PRIMARY_PORT: 3316,
  DB_REPLICA_PORT: 3317,
  MEMCACHED1_PORT: 11311,
  MEMCACHED2_PORT: 11312,
  ROBOKASSA_EMULATOR_PORT: 3010,
  SQS_PORT: 9324,
  TELEGRAM_PORT: 3011,
};

type PortName = keyof typeof DEFAULT_PORTS;
export type Ports = Record<PortName, number>;

const PORT_NAMES = Object.keys(DEFAULT_PORTS) as PortName[];

export function portsFromEnv(env: Record<string, string | undefined>): Ports {
  const entries = PORT_NAMES.map((name) => {
    const value = env[name];
    if (value === undefined || value === '') return [name, DEFAULT_PORTS[name]];
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${value} is not a port`);
    return [name, port];
  });
  return Object.fromEntries(entries) as Ports;
}

export async function freeStackPorts(): Promise<Ports> {
  const ports = await freePorts(PORT_NAMES.length);
  return Object.fromEntries(PORT_NAMES.map((name, i) => [name, ports[i]])) as Ports;
}

/** Fails with a hint before anything starts, instead of a service dying on a taken port later. */
export async function assertPortsFree(ports: Ports): Promise<void> {
  const taken = (await Promise.all(PORT_NAMES.map(async (name) => ((await isListening(ports[name])) ? name : null)))).filter(
    (name) => name !== null,
  );
  if (taken.length > 0) {
    const list = taken.map((name) => `${name}=${ports[name]}`).join(', ');
    throw new Error(`ports in use: ${list} (another stack running? set these variables to other ports)`);
  }
}

/** Distinct free ports on 127.0.0.1: all listeners are held open together, so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Whether something accepts TCP connections on 127.0.0.1:port right now. */
export function isListening(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether an HTTP server answers at url with any status. */
export async function answersHttp(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}
