// Headless Chromium against `salesbook serve`: an open page reloads by
// itself after an edit, shows an error overlay for a broken edit, and
// drops it once the edit is fixed.
//
//   SALESBOOK_BIN=target/debug/salesbook node --test tests/browser/
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const {
  copySite,
  startServe,
  launchChromium,
  instrument,
  instrumentedPage,
  waitForLiveState,
} = require('./serve.cjs');

const PAGE = 'exercises/cold-call/';
const FILE = path.join('content', 'exercises', 'cold-call.md');

function coldCall(body, extraFrontMatter = '') {
  return (
    '---\ntitle: Cold call\nsummary: Open a cold call in one sentence.\n' +
    extraFrontMatter +
    'difficulty: beginner\ntags: [practice]\n---\n## How to run it\n\n' +
    body +
    '\n'
  );
}

/** Waits (at most a second) until the wall clock enters a new second. */
async function nextSecond() {
  const now = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 1000 - (now % 1000) + 20));
}

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  if (browser) await browser.close();
});

/** A served temp copy of the fixture, removed afterwards. */
async function withServedSite(t, run) {
  const root = copySite();
  const server = await startServe(root);
  try {
    await run({ root, server, write: (text) => fs.writeFileSync(path.join(root, FILE), text) });
  } catch (error) {
    error.message += `\n--- salesbook serve stderr\n${server.log()}`;
    throw error;
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('an edited page reloads by itself, shows errors in an overlay and recovers', async (t) => {
  await withServedSite(t, async ({ server, write }) => {
    const page = await instrumentedPage(browser);
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(server.url + PAGE);
    await page.getByText('The original opener text.').waitFor();
    await waitForLiveState(page);
    await page.evaluate(() => {
      window.__notReloaded = true;
    });

    // 1. An edit: the page reloads by itself and shows the new text. (Each
    // reloading edit here starts in a new wall-clock second: same-second
    // reloads are the quick-saves test's subject.)
    const loadsBefore = loads;
    await nextSecond();
    write(coldCall('The edited opener text.'));
    await page.getByText('The edited opener text.').waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.__notReloaded), undefined, 'the page was reloaded');
    await waitForLiveState(page);
    await page.waitForTimeout(1000);
    assert.equal(loads - loadsBefore, 1, 'one edit, one reload (no reload storm)');
    assert.equal(await page.locator('#salesbook-errors').count(), 0);

    // 2. A broken front matter: an overlay names the file and line; the
    // page is not reloaded and keeps the last good text.
    await page.evaluate(() => {
      window.__notReloaded = true;
    });
    write(coldCall('Broken text.', 'bogus_key: 1\n'));
    const overlay = page.locator('#salesbook-errors');
    await overlay.waitFor({ state: 'visible', timeout: 10_000 });
    const shown = await page.locator('#salesbook-errors section').innerText();
    assert.match(shown, /content\/exercises\/cold-call\.md:4/, `overlay text: ${shown}`);
    assert.match(shown, /bogus_key/);
    assert.equal(await page.evaluate(() => window.__notReloaded), true, 'a failed build does not reload');
    assert.ok(await page.getByText('The edited opener text.').isVisible(), 'the last good page stays');
    assert.equal(await page.getByText('Broken text.').count(), 0);

    // 3. Fixed: the overlay goes and the page reloads with the new text.
    await nextSecond();
    write(coldCall('The fixed opener text.'));
    await page.getByText('The fixed opener text.').waitFor({ timeout: 10_000 });
    await overlay.waitFor({ state: 'detached', timeout: 10_000 });

    // 4. Broken, then restored to exactly the last good text: the overlay
    // goes although there is nothing new to reload.
    await waitForLiveState(page);
    await page.evaluate(() => {
      window.__notReloaded = true;
    });
    write(coldCall('Broken again.', 'bogus_key: 2\n'));
    await overlay.waitFor({ state: 'visible', timeout: 10_000 });
    write(coldCall('The fixed opener text.'));
    await overlay.waitFor({ state: 'detached', timeout: 10_000 });
    assert.ok(await page.getByText('The fixed opener text.').isVisible());
    await page.context().close();
  });
});

test('error messages are shown as text, never as HTML', async (t) => {
  await withServedSite(t, async ({ server, write }) => {
    const page = await instrumentedPage(browser);
    await page.goto(server.url + PAGE);
    await waitForLiveState(page);
    write(coldCall('Text.', '"<img src=x onerror=window.__injected=1>": 1\n'));
    const overlay = page.locator('#salesbook-errors');
    await overlay.waitFor({ state: 'visible', timeout: 10_000 });
    const shown = await page.locator('#salesbook-errors section').innerText();
    assert.match(shown, /<img src=x onerror=window\.__injected=1>/, `overlay text: ${shown}`);
    assert.equal(await overlay.locator('img').count(), 0, 'the message became markup');
    assert.equal(await page.evaluate(() => window.__injected), undefined, 'script ran from an error message');
    await page.context().close();
  });
});

test('two quick saves: the page shows the second', async (t) => {
  // A page reloaded after one save, then a second save within the same
  // second: the reload must not be answered from the browser cache (HTTP
  // dates have whole seconds, so Last-Modified cannot tell the versions
  // apart).
  await withServedSite(t, async ({ server, write }) => {
    const page = await instrumentedPage(browser);
    await page.goto(server.url + PAGE);
    await waitForLiveState(page);
    for (let round = 0; round < 3; round++) {
      await nextSecond();
      write(coldCall(`First quick save ${round}.`));
      await page.getByText(`First quick save ${round}.`).waitFor({ timeout: 10_000 });
      await waitForLiveState(page);
      write(coldCall(`Second quick save ${round}.`));
      try {
        await page.getByText(`Second quick save ${round}.`).waitFor({ timeout: 5_000 });
      } catch (error) {
        const served = await (await fetch(server.url + PAGE)).text();
        error.message =
          `the page stayed on the first of two quick saves (the server serves the second: ` +
          `${served.includes(`Second quick save ${round}.`)}; the page heard ` +
          `${JSON.stringify(await page.evaluate(() => window.__salesbookStates))})\n` +
          error.message;
        throw error;
      }
    }
    await page.context().close();
  });
});

test('every open page reloads, not just the edited one', async (t) => {
  await withServedSite(t, async ({ server, write }) => {
    const context = await browser.newContext();
    const pages = [];
    for (const url of [PAGE, '', 'exercises/', 'topics/practice/']) {
      const page = await context.newPage();
      await instrument(page);
      await page.goto(server.url + url);
      await waitForLiveState(page);
      pages.push(page);
    }
    await nextSecond();
    write(coldCall('Retitled everywhere.').replace('title: Cold call', 'title: Warm call'));
    for (const page of pages) {
      await page.getByText('Warm call').first().waitFor({ timeout: 10_000 });
    }
    await context.close();
  });
});

test('a page reconnects after the server restarts and catches up', async (t) => {
  const root = copySite();
  let server = await startServe(root);
  const port = server.port;
  try {
    const page = await instrumentedPage(browser);
    await page.goto(server.url + PAGE);
    await waitForLiveState(page);
    // Restart in a later second than the page was served, so this test is
    // about reconnecting only (see the quick-saves test for same-second
    // reloads).
    await nextSecond();
    await server.stop();
    fs.writeFileSync(path.join(root, FILE), coldCall('Written while the server was down.'));
    server = await startServe(root, { port });
    assert.equal(server.port, port, 'the same port is free again');
    await page.getByText('Written while the server was down.').waitFor({ timeout: 15_000 });
    await page.context().close();
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a page whose event stream connects after a rebuild still catches up', async (t) => {
  // The page was served by one build, but its event stream only connects
  // after the next: the first state it hears is already the new build, and
  // it must still reload (otherwise the preview stays stale).
  await withServedSite(t, async ({ server, write }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let release;
    const gate = new Promise((resolve) => {
      release = resolve;
    });
    await instrument(page);
    await page.route('**/__salesbook/events', async (route) => {
      await gate;
      await route.continue();
    });
    await page.goto(server.url + PAGE);
    await page.getByText('The original opener text.').waitFor();
    const rebuilds = server.lines.length;
    await nextSecond();
    write(coldCall('Rebuilt before the page listened.'));
    await server.waitForLine((l) => l.startsWith('rebuilt in '), { from: rebuilds });
    release();
    await waitForLiveState(page);
    // No reading of the page between here and the wait: the page may be
    // reloading already (as it should), which would destroy what is read.
    try {
      await page.getByText('Rebuilt before the page listened.').waitFor({ timeout: 5_000 });
    } catch (error) {
      const heard = await page
        .evaluate(() => window.__salesbookStates)
        .catch((reading) => `(not readable: ${reading.message.split('\n')[0]})`);
      error.message =
        'the page stayed stale: its event stream connected after a rebuild, and the first state it ' +
        `heard (${JSON.stringify(heard)}) was taken as the page's own build\n` +
        error.message;
      throw error;
    }
    await context.close();
  });
});
