// The site server on its own, in front of a stand-in API that echoes what it receives.
import http from 'node:http';
import { text } from 'node:stream/consumers';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../local/ports';
import { DIST_DIR, SECURITY_HEADERS, startSite, type Site } from '../../local/site';

let echo: http.Server;
let site: Site;
let distDir: string;
let apiPort: number;

beforeAll(async () => {
  const [webPort, port] = (await freePorts(2)) as [number, number];
  apiPort = port;
  echo = http.createServer(
    (req, res) =>
      void text(req).then((body) => {
        res.writeHead(req.url === '/api/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
      }),
  );
  await new Promise<void>((resolve) => echo.listen(apiPort, '127.0.0.1', resolve));
  distDir = await mkdtemp(path.join(os.tmpdir(), 'execorder-site-'));
  site = await startSite({ port: webPort, apiPort, distDir: path.join(distDir, 'dist') });
});

afterAll(async () => {
  await site.close();
  await new Promise((resolve) => echo.close(resolve));
  await rm(distDir, { recursive: true, force: true });
});

function statusOf(rawPath: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(site.url);
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
      .on('error', reject);
  });
}

describe('/api/*', () => {
  it('forwards method, path, headers and body, and adds the client to X-Forwarded-For', async () => {
    const res = await fetch(`${site.url}/api/tasks?limit=5`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t', 'x-forwarded-for': '203.0.113.9' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('yes');
    const seen = await res.json();
    expect(seen).toMatchObject({ method: 'POST', url: '/api/tasks?limit=5', body: '{"a":1}' });
    expect(seen.headers).toMatchObject({ authorization: 'Bearer t', 'x-forwarded-for': '203.0.113.9, 127.0.0.1' });
  });

  it('passes the API status back', async () => {
    expect((await fetch(`${site.url}/api/missing`)).status).toBe(404);
  });
});

describe('static files', () => {
  it('shows a placeholder while the site is not built', async () => {
    const res = await fetch(`${site.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('not built');
  });

  it('serves frontend/dist, with index.html for client-side routes', async () => {
    await mkdir(path.join(distDir, 'dist'), { recursive: true });
    await writeFile(path.join(distDir, 'dist/index.html'), '<p>app</p>');
    await writeFile(path.join(distDir, 'dist/app.js'), 'console.log(1)');
    const script = await fetch(`${site.url}/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toBe('console.log(1)');
    expect(await (await fetch(`${site.url}/tasks/12`)).text()).toBe('<p>app</p>');
    expect((await fetch(`${site.url}/missing.png`)).status).toBe(404);
  });

  it('never serves a file outside the site', async () => {
    await writeFile(path.join(distDir, 'secret.txt'), 'secret');
    // Raw paths: fetch would resolve the dots before sending.
    for (const rawPath of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      expect(await statusOf(rawPath)).toBe(404);
    }
  });
});

describe('when the API is down', () => {
  it('answers 503 with the contract body', async () => {
    await new Promise((resolve) => echo.close(resolve));
    const res = await fetch(`${site.url}/api/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });
  });
});

describe('security headers', () => {
  const expectSecurityHeaders = (res: Response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
  };

  it("sends the CSP (frame-ancestors 'none' included), nosniff and the referrer policy on pages, files and errors", async () => {
    expect(SECURITY_HEADERS['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(SECURITY_HEADERS['content-security-policy']).not.toContain('unsafe-inline');
    for (const route of ['/', '/app.js', '/tasks/12', '/missing.png', '/api/health'])
      expectSecurityHeaders(await fetch(`${site.url}${route}`));
  });

  it('allows what the built site needs: its own bundles and styles, no inline code', async () => {
    const html = await readFile(path.join(DIST_DIR, 'index.html'), 'utf8');
    // Only files of the site itself, and no inline script or style for the CSP to refuse.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
