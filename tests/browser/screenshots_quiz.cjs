// Takes the screenshots of the quiz with several right answers, the track's quiz score
// and the certificate of completion on the sample site, at 1280 px and 390 px, light
// and dark, and the certificate as printed. Not a test: run it by hand after a change.
//
//   cargo build && node tests/browser/screenshots_quiz.cjs [OUT_DIR]
//
// OUT_DIR defaults to docs/screenshots/: quiz-multi-WIDTH-SCHEME.png,
// certificate-WIDTH-SCHEME.png and certificate-print.png.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const os = require('node:os');

const { serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.SALESBOOK_BIN || 'target/debug/salesbook');
const OUT = path.resolve(process.argv[2] || path.join(REPO, 'docs', 'screenshots'));
const WIDTHS = { 1280: 900, 390: 844 };
const EXERCISES = ['three-tries', 'pre-call-routine', 'debrief', 'make-room-to-practise'];

function quantise(file) {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality', '65-90', '--ext', '.png', file], { stdio: 'ignore' });
  } catch {
    /* no pngquant, or nothing to gain */
  }
}

/** Ticks exactly `choices` of a question and checks it. */
async function answer(page, name, choices) {
  const group = page.getByRole('group', { name });
  for (const choice of choices) await group.getByLabel(choice, { exact: true }).check();
  await group.getByRole('button', { name: 'Check answer' }).click();
}

/** Every attempt of every exercise of the sample track done, some quiz answers given. */
async function finishTrack(page, url) {
  for (const slug of EXERCISES) {
    await page.goto(url + `exercises/${slug}/`);
    const boxes = page.getByRole('checkbox', { name: /^Attempt \d+ done$/ });
    for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).check();
  }
  await page.goto(url + 'exercises/debrief/');
  await answer(page, /Which calls are worth a debrief\?/, ['Calls that went badly', 'Calls that went well']);
  await answer(page, 'When is the best time to debrief a call?', ['Soon after the call, while it is fresh']);
  await page.goto(url + 'exercises/three-tries/');
  await answer(page, /What belongs in your notes after each try\?/, ['What happened on the call', 'Your final verdict on the technique']);
}

async function shot(locator, file) {
  await locator.screenshot({ path: file });
  quantise(file);
  console.log(path.relative(REPO, file));
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
        await finishTrack(page, server.url);
        await page.goto(server.url + 'exercises/three-tries/');
        await shot(page.locator('section.quiz'), path.join(OUT, `quiz-multi-${width}-${colorScheme}.png`));
        await page.goto(server.url + 'tracks/practice-habit/');
        await page.getByRole('textbox', { name: 'Your name' }).fill('Robin Seller');
        await page.locator('[data-track-quiz-score]').scrollIntoViewIfNeeded();
        await shot(page.locator('.track-path'), path.join(OUT, `track-score-${width}-${colorScheme}.png`));
        await shot(page.locator('[data-certificate]'), path.join(OUT, `certificate-${width}-${colorScheme}.png`));
        if (width === '1280' && colorScheme === 'light') {
          // The printed page: A4 at 96 dpi, as "Print certificate" lays it out.
          await page.evaluate(() => { window.print = () => {}; });
          await page.getByRole('button', { name: 'Print certificate' }).click();
          await page.setViewportSize({ width: 794, height: 1123 });
          await page.emulateMedia({ media: 'print' });
          const file = path.join(OUT, 'certificate-print.png');
          await page.screenshot({ path: file, fullPage: true });
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
