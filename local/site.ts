// The site as CloudFront will serve it: static files from frontend/dist, and /api/* forwarded
// to the API with the client's address added to X-Forwarded-For, every answer with the security
// headers of the site's CloudFront response-headers policy (serverless/site.yml).
import { execFile } from 'node:child_process';
import http from 'node:http';
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { listenOnLoopback } from './loopback';

export const DIST_DIR = path.resolve(__dirname, '../frontend/dist');
const REPO = path.resolve(__dirname, '..');

/** Builds frontend/dist (about a second). The server reads files per request, so building while it runs is safe. */
export async function buildSite(): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), 'frontend/build.ts'], { cwd: REPO });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`building the site failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Headers about one connection, never forwarded by a proxy (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/**
 * The address the proxy connects to the API from, which the API trusts (TRUSTED_PROXIES) to name
 * the client in X-Forwarded-For. Not 127.0.0.1, where a client calling the API directly comes from:
 * Linux routes all of 127.0.0.0/8 to loopback.
 */
export const SITE_PROXY_ADDRESS = '127.0.0.2';

/**
 * What CloudFront adds to every answer in AWS (serverless/site.yml, held to the same values by
 * test/infra/security-headers.test.ts), less Strict-Transport-Security, which means nothing over
 * plain http. The CSP is the one in index.html's meta tag plus what a meta tag cannot say
 * (frame-ancestors): scripts and styles are bundles of our own, no inline code, no other origin.
 */
export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
} as const;

export interface Site {
  url: string;
  close(): Promise<void>;
}

export async function startSite(o: { port: number; apiPort: number; distDir?: string }): Promise<Site> {
  const distDir = o.distDir ?? DIST_DIR;
  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.url === '/api' || req.url?.startsWith('/api/')) proxy(req, res, o.apiPort);
    else void serveStatic(req, res, distDir);
  });
  return listenOnLoopback(server, o.port);
}

function proxy(req: http.IncomingMessage, res: http.ServerResponse, apiPort: number): void {
  const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const forwardedFor = req.headers['x-forwarded-for'];
  const upstream = http.request(
    {
      host: '127.0.0.1',
      localAddress: SITE_PROXY_ADDRESS,
      port: apiPort,
      method: req.method,
      path: req.url,
      headers: {
        ...withoutHopByHop(req.headers),
        'x-forwarded-for': forwardedFor ? `${[forwardedFor].flat().join(', ')}, ${client}` : client,
        'x-forwarded-proto': 'http',
      },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // The contract's body, as the API's own 503 would be.
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'unavailable', message: 'The API is not reachable.' } }));
  });
  // A client that goes away mid-request takes the forwarded request with it.
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, distDir: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (!(await statOrNull(distDir))?.isDirectory()) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(PLACEHOLDER);
    return;
  }
  const file = await resolveFile(distDir, new URL(req.url ?? '/', 'http://site').pathname);
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

/**
 * The file a path names inside distDir, `index.html` for a folder, and the site's `index.html`
 * for an extension-less path that names nothing (a client-side route), as CloudFront's error page
 * setting does for a single-page app.
 */
async function resolveFile(distDir: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = path.join(distDir, path.normalize(decoded));
  if (candidate !== distDir && !candidate.startsWith(distDir + path.sep)) return null;
  const choices = [candidate, path.join(candidate, 'index.html')];
  if (path.extname(candidate) === '') choices.push(path.join(distDir, 'index.html'));
  for (const choice of choices) {
    if ((await statOrNull(choice))?.isFile()) return choice;
  }
  return null;
}

function statOrNull(file: string): Promise<Stats | null> {
  return stat(file).catch(() => null);
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>execorder</title></head>
<body>
<h1>execorder</h1>
<p>The site is not built yet: <code>frontend/dist/</code> does not exist.</p>
<p>The API answers under <a href="/api/health">/api/health</a>.</p>
</body></html>
`;
