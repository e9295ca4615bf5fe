// Takes the screenshots of the sample site's role-play exercise ("Practise the call in
// threes"): the page from its roles to its model answer, at 1280 px and 390 px, light and dark, with the first attempt logged,
// its rubric ticked and the model answer open; and its printed pages (Chromium's PDF, A4),
// each turned into a PNG with pdftoppm when it is installed. Not a test: run it by hand.
//
//   cargo build && node tests/browser/roleplay_screenshots.cjs [OUT_DIR]
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.SALESBOOK_BIN || 'target/debug/salesbook');
const OUT = path.resolve(process.argv[2] || path.join(REPO, 'docs', 'screenshots'));
const EXERCISE = 'exercises/practise-in-threes/';
const WIDTHS = { 1280: 900, 390: 844 };

/** Logs attempt 1 with a note and three of its rubric ticks, then opens the model answer. */
async function practise(page) {
  await page.getByRole('checkbox', { name: 'Attempt 1 done', exact: true }).check();
  await page.getByRole('textbox', { name: 'Attempt 1 notes', exact: true }).fill('Pitched too early; next time summarise first.');
  const rubric = page.getByRole('group', { name: 'Attempt 1: what did you (or your observer) see?' });
  for (const name of ["Opened with a question about the buyer's situation", 'Stayed curious when the buyer gave a short answer', 'Asked for one clear next step']) {
    await rubric.getByRole('checkbox', { name: name.replace("'", '’') }).check();
  }
  await page.getByText('Try it first, then show the model answer').click();
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'salesbook-roleplay-shots-'));
  execFileSync(BIN, ['build', REPO, '-o', site], { stdio: 'inherit' });
  const server = await serveStatic(site, '/lab/');
  const browser = await launchChromium();
  try {
    for (const [width, height] of Object.entries(WIDTHS)) {
      for (const colorScheme of ['light', 'dark']) {
        const context = await browser.newContext({ viewport: { width: Number(width), height }, colorScheme });
        const page = await newPage(context, new URL(server.url).origin);
        await page.goto(server.url + EXERCISE);
        await practise(page);
        // From the roles to the model answer: what the role-play adds to an exercise page.
        const clip = await page.evaluate(() => {
          const top = document.querySelector('.roles').getBoundingClientRect().top + window.scrollY - 16;
          const bottom = document.querySelector('.model-answer').getBoundingClientRect().bottom + window.scrollY + 16;
          return { x: 0, y: top, width: document.documentElement.clientWidth, height: bottom - top };
        });
        await page.screenshot({ path: path.join(OUT, `roleplay-${width}-${colorScheme}.png`), fullPage: true, clip });
        await context.close();
      }
    }
    const context = await browser.newContext();
    const page = await newPage(context, new URL(server.url).origin);
    await page.goto(server.url + EXERCISE);
    const pdf = path.join(site, 'roleplay.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    try {
      execFileSync('pdftoppm', ['-r', '60', '-png', pdf, path.join(OUT, 'roleplay-print')]);
    } catch {
      console.log(`pdftoppm is not installed: the printed pages are in ${pdf}`);
    }
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
