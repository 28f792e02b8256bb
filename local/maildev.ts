// The mail catcher: the API sends through its SMTP port; people read the mail in its web UI and
// tests through its REST API on the same port (maildev 3: GET /api/email, DELETE /api/email/all).
import path from 'node:path';
import { answersHttp, isListening } from './ports';
import { childService, type Service } from './processes';

const BIN = path.resolve(__dirname, '../node_modules/.bin/maildev');

export function maildevService(o: { smtpPort: number; uiPort: number; logsDir: string }): Service {
  const args = [BIN, '--smtp', String(o.smtpPort), '--web', String(o.uiPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1'];
  return childService(
    { name: 'maildev', command: process.execPath, args, logFile: path.join(o.logsDir, 'maildev.log') },
    async () => (await isListening(o.smtpPort)) && (await answersHttp(`http://127.0.0.1:${o.uiPort}/api/healthz`)),
    20_000,
  );
}
