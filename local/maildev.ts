// The mail catcher: the API sends through its SMTP port; people read the mail in its web UI and
// tests through its REST API on the same port (maildev 3: GET /api/email, DELETE /api/email/all).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { answersHttp, isListening } from './ports';
import { childService, type Service } from './processes';

const BIN = path.resolve(__dirname, '../node_modules/.bin/maildev');

export function maildevService(o: { smtpPort: number; uiPort: number; dataDir: string; logsDir: string }): Service {
  const args = [BIN, '--smtp', String(o.smtpPort), '--web', String(o.uiPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1'];
  // maildev keeps the list in memory but writes every message's source to `<os.tmpdir()>/maildev`
  // and never removes it (gigabytes after a day of tests, and shared by every maildev on the
  // machine). Its temporary folder is the stack's own here, emptied at each start: the in-memory
  // list starts empty, so the files of an earlier run are nobody's. (`--mail-directory` would
  // instead load every earlier message back at each start.)
  const tmpDir = path.join(o.dataDir, 'maildev');
  const service = childService(
    {
      name: 'maildev',
      command: process.execPath,
      args,
      logFile: path.join(o.logsDir, 'maildev.log'),
      env: { ...process.env, TMPDIR: tmpDir },
    },
    async () => (await isListening(o.smtpPort)) && (await answersHttp(`http://127.0.0.1:${o.uiPort}/api/healthz`)),
    20_000,
  );
  return {
    ...service,
    async start() {
      await rm(tmpDir, { recursive: true, force: true });
      await service.start();
    },
  };
}
