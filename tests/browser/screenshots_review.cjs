// Takes the screenshots of spaced review on the sample site: the home page with "Due for
// practice" and an exercise's practice log with its reviews, at 1280 px and 390 px, light
// and dark. Not a test: run it by hand after a change to reviews.
//
//   cargo build && node tests/browser/screenshots_review.cjs [OUT_DIR]
//
// The browser's clock is set: "Three tries" is done on 2 March 2026 and its first review
// logged a day late on 5 March; "Pre-call routine" (review: [7, 30]) is done on 1 March;
// the pictures are taken on 12 March, when both are due.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

const { serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.SALESBOOK_BIN || 'target/debug/salesbook');
const OUT = path.resolve(process.argv[2] || path.join(REPO, 'docs', 'screenshots'));
const WIDTHS = { 1280: 900, 390: 844 };

const march = (day) => new Date(2026, 2, day, 12, 0, 0);

async function storeReviews(page, url) {
  await page.clock.setFixedTime(march(1));
  await page.goto(url + 'exercises/pre-call-routine/');
  for (let n = 1; n <= 5; n++) await page.getByRole('checkbox', { name: `Attempt ${n} done` }).check();
  await page.clock.setFixedTime(march(2));
  await page.goto(url + 'exercises/three-tries/');
  for (let n = 1; n <= 3; n++) await page.getByRole('checkbox', { name: `Attempt ${n} done` }).check();
  await page.clock.setFixedTime(march(5));
  await page.reload();
  await page.getByRole('textbox', { name: 'Review 1 notes' }).fill('Still works; I asked the question sooner.');
  await page.getByRole('checkbox', { name: 'Review 1 done' }).check();
  await page.clock.setFixedTime(march(12));
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
        await storeReviews(page, server.url);
        await page.goto(server.url);
        await page.getByRole('region', { name: 'Due for practice' }).waitFor();
        await page.screenshot({ path: path.join(OUT, `review-home-${width}-${colorScheme}.png`) });
        await page.goto(server.url + 'exercises/three-tries/');
        await page.locator('.review').screenshot({ path: path.join(OUT, `review-exercise-${width}-${colorScheme}.png`) });
        if (page.errors.length) throw new Error(page.errors.join('\n'));
        await context.close();
      }
    }
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
