// Takes the theme's screenshots of the sample site (the repository's own content/):
// home, interview, exercise, track, speaker and search, at 1280 px and 390 px, light and
// dark, with some practice progress stored. Not a test: run it by hand after a theme change.
//
//   cargo build && node tests/browser/screenshots.cjs [OUT_DIR]
//
// OUT_DIR defaults to docs/screenshots/; files are named PAGE-WIDTH-SCHEME.png, and
// quantised with pngquant when it is installed.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const os = require('node:os');

const { serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.SALESBOOK_BIN || 'target/debug/salesbook');
const OUT = path.resolve(process.argv[2] || path.join(REPO, 'docs', 'screenshots'));

const PAGES = {
  home: '',
  interview: 'interviews/essential-sales-tasks/',
  exercise: 'exercises/three-tries/',
  track: 'tracks/practice-habit/',
  speaker: 'speakers/john-golden/',
  search: '',
};
const WIDTHS = { 1280: 900, 390: 844 };

/** Two attempts of "Three tries" with notes, one of "Pre-call routine", the interview read. */
async function storeProgress(page, url) {
  await page.goto(url + 'interviews/essential-sales-tasks/');
  await page.goto(url + 'exercises/three-tries/');
  for (const n of [1, 2]) {
    await page.getByRole('checkbox', { name: `Attempt ${n} done` }).check();
    await page.getByRole('textbox', { name: `Attempt ${n} notes` }).fill(n === 1 ? 'Rushed the opening.' : 'Slower; the question landed.');
  }
  await page.goto(url + 'exercises/pre-call-routine/');
  await page.getByRole('checkbox', { name: 'Attempt 1 done' }).check();
}

/** Shrinks a PNG with pngquant, if it is installed; keeps it as it is otherwise. */
function quantise(file) {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality', '65-90', '--ext', '.png', file], { stdio: 'ignore' });
  } catch {
    /* no pngquant, or nothing to gain */
  }
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'salesbook-shots-'));
  execFileSync(BIN, ['build', REPO, '-o', site], { stdio: 'inherit' });
  const server = await serveStatic(site, '/lab/');
  const browser = await launchChromium();
  try {
    for (const [width, height] of Object.entries(WIDTHS)) {
      for (const colorScheme of ['light', 'dark']) {
        const context = await browser.newContext({ viewport: { width: Number(width), height }, colorScheme });
        const page = await newPage(context, new URL(server.url).origin);
        await storeProgress(page, server.url);
        for (const [name, url] of Object.entries(PAGES)) {
          await page.goto(server.url + url);
          if (name === 'search') {
            const box = page.locator('#sb-search');
            if (!(await box.isVisible())) await page.getByRole('button', { name: 'Search' }).click();
            await box.fill('practice');
            await page.locator('#sb-search-results li a').first().waitFor({ timeout: 5000 });
          }
          const file = path.join(OUT, `${name}-${width}-${colorScheme}.png`);
          await page.screenshot({ path: file, fullPage: name !== 'search' });
          quantise(file);
          console.log(path.relative(REPO, file));
        }
        if (page.errors.length) console.error(page.errors.join('\n'));
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
