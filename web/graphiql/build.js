// Builds GraphiQL into the directory named by the first argument (relative to
// the current directory): graphiql-<hash>.js and graphiql-<hash>.css, named
// by their content, and LICENSES.txt, the licences of every package they
// bundle. The output depends only on package-lock.json and src/, so running
// it twice writes the same bytes; the directory is emptied first so no stale
// file stays behind.
//
//   node build.js ../../internal/graphiql/dist
import * as esbuild from 'esbuild';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outArg = process.argv[2];
if (!outArg) {
  console.error('usage: node build.js OUTDIR');
  process.exit(2);
}
const outdir = path.resolve(outArg);

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { graphiql: 'src/main.js' },
  outdir,
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
});

await writeFile(path.join(outdir, 'LICENSES.txt'), await licences(result.metafile));

// licences lists, once per package and sorted by name, the licence of every
// package the bundle took code from, with the text of its licence file.
async function licences(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (m) dirs.add(m[1]);
  }
  const entries = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(await readFile(path.join(here, dir, 'package.json'), 'utf8'));
    const file = (await readdir(path.join(here, dir))).sort().find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? (await readFile(path.join(here, dir, file), 'utf8')).trim() : `License: ${pkg.license}`;
    entries.push({ name: pkg.name, block: `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n` });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sep = `\n${'-'.repeat(72)}\n\n`;
  return `Third-party software bundled in graphiql-*.js and graphiql-*.css\n${sep}${entries.map((e) => e.block).join(sep)}`;
}
