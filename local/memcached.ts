// One memcached instance; the stack runs two, as the API spreads its keys over both.
import path from 'node:path';
import { isListening } from './ports';
import { childService, type Service } from './processes';

export function memcachedService(o: { name: string; port: number; memcached: string; logsDir: string }): Service {
  const args = [
    ...(process.getuid?.() === 0 ? ['-u', 'root'] : []), // memcached refuses to run as root without it
    '-l',
    '127.0.0.1',
    '-p',
    String(o.port),
    '-m',
    '64',
  ];
  return childService(
    { name: o.name, command: o.memcached, args, logFile: path.join(o.logsDir, `${o.name}.log`) },
    () => isListening(o.port),
    10_000,
  );
}
