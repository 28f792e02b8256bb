// `npm start`: the whole product on this machine, data in .local/ (`npm start -- --fresh` wipes it).
// Ctrl-C stops every service. `--data-dir DIR --free-ports` runs a second stack beside it (the
// crash test starts and kills the launcher this way).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stopAllChildren, stopChildrenOnSignals, stopSignalled } from './processes';
import { startStack } from './stack';

const DEFAULT_DATA_DIR = path.resolve(__dirname, '../.local');
// Local only: the admin account a developer logs in with, unless the shell says otherwise.
const LOCAL_DEFAULTS: Record<string, string> = {
  ADMIN_EMAIL: 'admin@execorder.local',
  ADMIN_PASSWORD: 'admin-local-password',
};

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { fresh: { type: 'boolean' }, 'data-dir': { type: 'string' }, 'free-ports': { type: 'boolean' } },
  });
  const dataDir = path.resolve(args['data-dir'] ?? DEFAULT_DATA_DIR);
  stopChildrenOnSignals(0);

  const env = Object.fromEntries(Object.entries(LOCAL_DEFAULTS).map(([name, value]) => [name, process.env[name] || value]));
  const began = Date.now();
  const stack = await startStack({
    dataDir,
    fresh: args.fresh,
    freePorts: args['free-ports'],
    env,
    log: (line) => console.log(line),
  });
  console.log(`
execorder is running (booted in ${((Date.now() - began) / 1000).toFixed(1)} s):
  site      ${stack.urls.site}
  API       ${stack.urls.api}/api
  health    ${stack.urls.health}
  mail UI   ${stack.urls.mailUi}
  telegram  ${stack.urls.telegram} (messages the bot sent)
  robokassa ${stack.urls.robokassa} (the local payment page: Pay credits the balance)
  admin     ${stack.env.ADMIN_EMAIL} / ${stack.env.ADMIN_PASSWORD} (log in with role "admin")
  logs      ${path.join(dataDir, 'logs')}
Ctrl-C stops everything.`);
}

main().catch(async (err: Error) => {
  if (stopSignalled()) return; // a boot cut short by Ctrl-C fails on its way out; that is expected
  console.error(`\nnpm start failed: ${err.message}`);
  await stopAllChildren();
  process.exit(1);
});
