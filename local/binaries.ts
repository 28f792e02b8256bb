// The system programs the stack runs. Missing ones are installed with apt when we may (root on
// Debian/Ubuntu); otherwise the developer gets the exact command to run.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

export interface Binaries {
  mariadbd: string;
  mariadbInstallDb: string;
  memcached: string;
}

const PROGRAMS = ['mariadbd', 'mariadb-install-db', 'memcached'];
const PACKAGES = ['mariadb-server', 'memcached'];
// mariadbd lives in /usr/sbin, which is not on every user's PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

const isRoot = () => process.getuid?.() === 0;

function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...EXTRA_DIRS].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export async function ensureBinaries(log: (line: string) => void): Promise<Binaries> {
  const missing = PROGRAMS.filter((program) => !findProgram(program));
  if (missing.length > 0) {
    const install = `apt-get update && apt-get install -y ${PACKAGES.join(' ')}`;
    if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
      const sudo = isRoot() ? '' : 'sudo ';
      throw new Error(
        `missing ${missing.join(', ')}. Install them, then start again:\n` +
          `  ${sudo}apt-get update && ${sudo}apt-get install -y ${PACKAGES.join(' ')}\n` +
          '(or the MariaDB ≥ 10.6 server and memcached packages of your system)',
      );
    }
    log(`missing ${missing.join(', ')}: running ${install}`);
    await streamed('apt-get', ['update'], log);
    await streamed('apt-get', ['install', '-y', ...PACKAGES], log);
  }
  const locate = (program: string) => {
    const location = findProgram(program);
    if (!location) throw new Error(`${program} is still missing after installing ${PACKAGES.join(' ')}`);
    return location;
  };
  return { mariadbd: locate('mariadbd'), mariadbInstallDb: locate('mariadb-install-db'), memcached: locate('memcached') };
}

/** Runs a short-lived command in the foreground, passing its output on line by line. */
function streamed(command: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const forward = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => log(`  ${line}`));
    proc.stdout.on('data', forward);
    proc.stderr.on('data', forward);
    proc.once('error', reject);
    proc.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code})`))));
  });
}
