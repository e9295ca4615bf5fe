// Takes the screenshots of an interview you can listen to: the sample interview with a
// recording (a silent one, made here: the sample site has its transcript, not the audio),
// the player at the top and the transcript's times, after "Play from 5:30" was pressed, at
// 1280 px and 390 px, light and dark. Not a test: run it by hand after a change to media.
//
//   cargo build && node tests/browser/screenshots_media.cjs [OUT_DIR]
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

const { serveStatic, launchChromium, newPage, silentWav } = require('./learner_helpers.cjs');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.SALESBOOK_BIN || 'target/debug/salesbook');
const OUT = path.resolve(process.argv[2] || path.join(REPO, 'docs', 'screenshots'));
const WIDTHS = { 1280: 900, 390: 844 };
const INTERVIEW = 'content/interviews/essential-sales-tasks.md';

/** A copy of the sample site whose interview has an 18-minute silent recording. */
function siteWithRecording() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'salesbook-media-'));
  for (const part of ['site.yaml', 'content', 'static']) {
    fs.cpSync(path.join(REPO, part), path.join(root, part), { recursive: true });
  }
  fs.writeFileSync(path.join(root, 'static/media/essential-sales-tasks.wav'), silentWav(18 * 60));
  const file = path.join(root, INTERVIEW);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace('\ntranscript:', '\nmedia: /media/essential-sales-tasks.wav\ntranscript:'));
  return root;
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const root = siteWithRecording();
  const out = path.join(root, 'public');
  execFileSync(BIN, ['build', root, '-o', out], { stdio: 'inherit' });
  const server = await serveStatic(out, '/lab/');
  const browser = await launchChromium();
  try {
    for (const [width, height] of Object.entries(WIDTHS)) {
      for (const colorScheme of ['light', 'dark']) {
        const context = await browser.newContext({ viewport: { width: Number(width), height }, colorScheme });
        const page = await newPage(context, new URL(server.url).origin);
        await page.goto(server.url + 'interviews/essential-sales-tasks/');
        await page.waitForFunction(() => document.querySelector('audio[data-player]').readyState >= 1);
        await page.getByRole('button', { name: 'Play from 5:30' }).click();
        // Paused at 5:30, and back at the top so that the sticky navigation sits there.
        await page.evaluate(() => { document.querySelector('audio[data-player]').pause(); window.scrollTo(0, 0); });
        const file = `media-${width}-${colorScheme}.png`;
        await page.screenshot({ path: path.join(OUT, file), fullPage: true });
        console.log(file);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
