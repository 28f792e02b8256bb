// Builds the site into frontend/dist: index.html, one stylesheet and ES-module chunks (one per
// page, loaded on demand). `tsx frontend/build.ts` once, or with `--watch` while developing.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { ru } from './src/i18n/ru';

const SRC = path.join(__dirname, 'src');
const DIST = path.join(__dirname, 'dist');
const ENTRY = path.join(SRC, 'main.ts');
const watch = process.argv.includes('--watch');

const escapeAttr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Fills index.html with the hashed names of the entry script, its stylesheet and its static imports. */
async function writeIndex(metafile: esbuild.Metafile): Promise<void> {
  const entryRel = path.relative(process.cwd(), ENTRY).split(path.sep).join('/');
  const found = Object.entries(metafile.outputs).find(([, out]) => out.entryPoint === entryRel);
  if (!found) throw new Error(`no output for ${entryRel}`);
  const [scriptPath, output] = found;
  if (!output.cssBundle) throw new Error('the entry has no stylesheet');
  const url = (file: string): string => path.relative(DIST, path.resolve(file)).split(path.sep).join('/');
  const preloads = output.imports
    .filter((imp) => imp.kind === 'import-statement' && !imp.external)
    .map((imp) => `<link rel="modulepreload" href="${escapeAttr(url(imp.path))}">`)
    .join('\n  ');
  const template = await readFile(path.join(SRC, 'index.html'), 'utf8');
  const html = template
    .replace('%LANG%', escapeAttr(ru.locale.split('-')[0] ?? 'ru'))
    .replace('%NOSCRIPT%', escapeAttr(ru.app.noscript))
    .replace('%DESCRIPTION%', escapeAttr(ru.app.description))
    .replace('%STYLES%', escapeAttr(url(output.cssBundle)))
    .replace('%SCRIPT%', escapeAttr(url(scriptPath)))
    .replace('%PRELOADS%', preloads);
  await writeFile(path.join(DIST, 'index.html'), html);
}

const indexPlugin: esbuild.Plugin = {
  name: 'index-html',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length === 0 && result.metafile) await writeIndex(result.metafile);
    });
  },
};

const options: esbuild.BuildOptions = {
  entryPoints: { app: ENTRY },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  outdir: path.join(DIST, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  minify: !watch,
  sourcemap: true,
  metafile: true,
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'info',
  plugins: [indexPlugin],
};

async function main(): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
    return;
  }
  await esbuild.build(options);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
