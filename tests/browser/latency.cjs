// Edit-to-reload latency of `salesbook serve`: the time from writing a
// Markdown file to headless Chromium having loaded the page with the new
// text (DOMContentLoaded of the reloaded page), median of N edits.
//
//   node tests/browser/latency.cjs [SITE_ROOT] [--edits 20] [--file content/exercises/x.md]
//                                  [--page exercises/x/] [--no-spacing]
//
// SITE_ROOT defaults to the repository root (the sample site); it is copied
// to a temporary folder first. Edits are spaced so that each one falls in a
// new wall-clock second after the previous reload (a page and its rebuild
// written in the same second can be answered 304 Not Modified and stay
// stale; --no-spacing edits right after each reload and counts those).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { REPO, copySite, startServe, launchChromium, instrumentedPage, waitForLiveState, median } =
  require('./serve.cjs');

function parseArgs(argv) {
  const options = { root: REPO, edits: 20, file: null, page: null, spacing: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--edits') options.edits = Number(argv[++i]);
    else if (arg === '--file') options.file = argv[++i];
    else if (arg === '--page') options.page = argv[++i];
    else if (arg === '--no-spacing') options.spacing = false;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.root = path.resolve(arg);
  }
  return options;
}

/** The exercise to edit: the three-tries one of the sample site, or the first one. */
function pickExercise(root, options) {
  let file = options.file;
  if (!file) {
    const preferred = path.join('content', 'exercises', 'three-tries.md');
    if (fs.existsSync(path.join(root, preferred))) file = preferred;
    else {
      const folder = path.join(root, 'content', 'exercises');
      const names = fs
        .readdirSync(folder, { recursive: true })
        .map(String)
        .filter((n) => n.endsWith('.md') && !n.endsWith('_index.md'))
        .sort();
      if (!names.length) throw new Error(`no exercise in ${folder}`);
      file = path.join('content', 'exercises', names[0]);
    }
  }
  let page = options.page;
  if (!page) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const slug = /^slug:\s*(\S+)\s*$/m.exec(text);
    page = `exercises/${slug ? slug[1] : path.basename(file, '.md')}/`;
  }
  return { file, page };
}

async function nextSecond() {
  const now = Date.now();
  const offset = 50 + Math.floor(Math.random() * 300);
  await new Promise((resolve) => setTimeout(resolve, 1000 - (now % 1000) + offset));
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const root = copySite(options.root);
  const { file, page: pagePath } = pickExercise(root, options);
  const full = path.join(root, file);
  const original = fs.readFileSync(full, 'utf8');
  const pages = fs.readdirSync(path.join(root, 'content'), { recursive: true }).filter((n) =>
    String(n).endsWith('.md'),
  ).length;
  const server = await startServe(root);
  const browser = await launchChromium();
  const samples = [];
  let stale = 0;
  try {
    const page = await instrumentedPage(browser);
    const response = await page.goto(server.url + pagePath);
    if (!response || response.status() !== 200) throw new Error(`${pagePath}: ${response && response.status()}`);
    await waitForLiveState(page);
    console.log(`site: ${options.root} (${pages} Markdown files), editing ${file}, watching /${pagePath}`);
    for (let i = 0; i < options.edits; i++) {
      if (options.spacing) await nextSecond();
      const token = `Latency probe ${i} ${Math.random().toString(36).slice(2, 8)}`;
      const loaded = page.waitForEvent('domcontentloaded', { timeout: 15_000 });
      const start = performance.now();
      fs.writeFileSync(full, `${original.trimEnd()}\n\n${token}\n`);
      await loaded;
      const end = performance.now();
      const shown = await page.evaluate((t) => document.body.innerText.includes(t), token);
      if (!shown) {
        stale++;
        console.log(`edit ${i + 1}: the page reloaded but shows the previous version (stale)`);
        // Get back in step for the next edit: a fresh navigation.
        await page.goto(server.url + pagePath);
      } else {
        samples.push(end - start);
        console.log(`edit ${i + 1}: ${(end - start).toFixed(0)} ms`);
      }
      await waitForLiveState(page);
    }
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
  const rebuilds = server.lines
    .map((l) => /^rebuilt in (\d+) ms/.exec(l))
    .filter(Boolean)
    .map((m) => Number(m[1]));
  if (!samples.length) throw new Error('no edit was shown');
  console.log(
    `median edit-to-reload latency: ${median(samples).toFixed(0)} ms ` +
      `(n=${samples.length}, min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)}; ` +
      `median rebuild ${rebuilds.length ? median(rebuilds) : '?'} ms as reported by serve)`,
  );
  if (stale) console.log(`stale reloads: ${stale} of ${options.edits}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
