// The error overlay of `salesbook serve`: readable in light and dark mode and on a
// theme with hostile styles (it lives in a shadow root with styles of its own), with
// the file:line, the message and the source line with a caret, and no axe violation.
// A build with warnings only serves the page with a slim bar listing them.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { copySite, startServe, launchChromium, instrument, waitForLiveState } = require('./serve.cjs');
const { axe } = require('./learner_helpers.cjs');

const PAGE = 'exercises/cold-call/';
const FILE = path.join('content', 'exercises', 'cold-call.md');
// A pull quote signed by no speaker of the site: a warning at line 10, column 3.
const WARNED =
  '---\ntitle: Cold call\nsummary: Open a cold call in one sentence.\ndifficulty: beginner\n---\n' +
  'The new opener text.\n\n> Ask first.\n>\n> — Pat Unknown\n';
const BROKEN =
  '---\ntitle: Cold call\nsummary: Open a cold call in one sentence.\n\tdifficulty: beginner\n---\nText.\n';
// What a custom theme might do to every element, the overlay's host included.
const HOSTILE_CSS =
  '*{color:#fff!important;background:#f5f7fa!important;font-family:cursive!important}' +
  'pre{background:#f5f7fa!important;color:#fff!important}';

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  if (browser) await browser.close();
});

/** WCAG contrast ratio of two `rgb(…)` colours. */
function contrast(a, b) {
  const luminance = (rgb) => {
    const [r, g, b2] = rgb.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Text and colours of each part of the overlay, read from inside its shadow root. */
function readOverlay(page) {
  return page.evaluate(() => {
    const host = document.querySelector('#salesbook-errors');
    const root = host.shadowRoot;
    const section = root.querySelector('section');
    const parts = [...root.querySelectorAll('h2, .label, .where, .what, pre')].map((node) => {
      const style = getComputedStyle(node);
      let background = style.backgroundColor;
      for (let n = node; background === 'rgba(0, 0, 0, 0)' && n; n = n.parentElement) {
        background = getComputedStyle(n).backgroundColor;
      }
      return { tag: node.tagName, text: node.textContent, color: style.color, background };
    });
    return { role: section.getAttribute('role'), parts };
  });
}

async function brokenPageWithOverlay(scheme, { hostile = false, also = null } = {}) {
  const root = copySite();
  if (also) fs.writeFileSync(path.join(root, also[0]), also[1]);
  const server = await startServe(root);
  const context = await browser.newContext({ colorScheme: scheme });
  const page = await context.newPage();
  await instrument(page);
  await page.goto(server.url + PAGE);
  if (hostile) await page.addStyleTag({ content: HOSTILE_CSS });
  await waitForLiveState(page);
  fs.writeFileSync(path.join(root, FILE), BROKEN);
  await page.locator('#salesbook-errors section[role="alert"]').waitFor({ state: 'visible', timeout: 10_000 });
  const done = async () => {
    await context.close();
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
  return { page, done };
}

for (const scheme of ['light', 'dark']) {
  test(`the overlay shows where, what and the source line, readable in ${scheme} mode`, async () => {
    const { page, done } = await brokenPageWithOverlay(scheme);
    try {
      const overlay = await readOverlay(page);
      assert.equal(overlay.role, 'alert');
      const text = overlay.parts.map((p) => p.text).join('\n');
      assert.match(text, /content\/exercises\/cold-call\.md:4/);
      assert.match(text, /tab/i, text);
      const pre = overlay.parts.find((p) => p.tag === 'PRE');
      assert.ok(pre, `no source line in: ${text}`);
      assert.match(pre.text, /^4 \| \tdifficulty: beginner\n {2}\| \^?/, pre.text);
      for (const part of overlay.parts) {
        const ratio = contrast(part.color, part.background);
        assert.ok(ratio >= 4.5, `${part.tag} "${part.text.slice(0, 40)}": contrast ${ratio.toFixed(2)}`);
      }
      assert.deepEqual(await axe(page), []);
    } finally {
      await done();
    }
  });
}

test('a theme that styles every element leaves the overlay readable', async () => {
  const { page, done } = await brokenPageWithOverlay('light', { hostile: true });
  try {
    for (const part of (await readOverlay(page)).parts) {
      const ratio = contrast(part.color, part.background);
      assert.ok(ratio >= 4.5, `${part.tag} "${part.text.slice(0, 40)}": contrast ${ratio.toFixed(2)}`);
    }
    await page.getByRole('button', { name: 'Hide' }).click();
    assert.equal(await page.locator('#salesbook-errors').count(), 0);
  } finally {
    await done();
  }
});

for (const scheme of ['light', 'dark']) {
  test(`a build with warnings only serves the page with a bar that lists them, readable in ${scheme} mode`, async () => {
    const root = copySite();
    const server = await startServe(root);
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    try {
      await instrument(page);
      await page.goto(server.url + PAGE);
      await waitForLiveState(page);
      fs.writeFileSync(path.join(root, FILE), WARNED);
      await page.getByText('The new opener text.').waitFor({ timeout: 10_000 });
      await page.locator('#salesbook-errors section').waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await page.getByText('Pat Unknown', { exact: false }).first().isVisible(), true);
      // Collapsed: a status line, not an alert, and the list behind "Details".
      const bar = await readOverlay(page);
      assert.equal(bar.role, 'status');
      assert.match(bar.parts.find((p) => p.tag === 'H2').text, /^This build has 1 warning$/);
      assert.equal(await page.locator('#salesbook-errors .what').isVisible(), false);
      await page.getByRole('button', { name: 'Details' }).click();
      const overlay = await readOverlay(page);
      const text = overlay.parts.map((p) => p.text).join('\n');
      assert.ok(overlay.parts.some((p) => p.tag === 'SPAN' && p.text === 'warning'), text);
      assert.match(text, /content\/exercises\/cold-call\.md:10:3/);
      assert.match(text, /Pat Unknown/);
      const pre = overlay.parts.find((p) => p.tag === 'PRE');
      assert.ok(pre, `no source line in: ${text}`);
      assert.match(pre.text, /^10 \| > — Pat Unknown\n {3}\| {3}\^/, pre.text);
      for (const part of overlay.parts) {
        const ratio = contrast(part.color, part.background);
        assert.ok(ratio >= 4.5, `${part.tag} "${part.text.slice(0, 40)}": contrast ${ratio.toFixed(2)}`);
      }
      assert.deepEqual(await axe(page), []);
      // Hidden, it stays hidden when the page reloads with the same warnings.
      await page.getByRole('button', { name: 'Hide' }).click();
      assert.equal(await page.locator('#salesbook-errors').count(), 0);
      await page.reload();
      await waitForLiveState(page);
      assert.equal(await page.locator('#salesbook-errors').count(), 0);
    } finally {
      await context.close();
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}

test('errors and warnings are listed together, each with its label', async () => {
  const { page, done } = await brokenPageWithOverlay('light', {
    also: ['content/exercises/follow-up.md', WARNED.replace('Cold call', 'Follow up')],
  });
  try {
    const overlay = await readOverlay(page);
    assert.equal(overlay.role, 'alert');
    const labels = overlay.parts.filter((p) => p.tag === 'SPAN').map((p) => p.text);
    assert.deepEqual(labels, ['error', 'warning']);
    const [error, warning] = overlay.parts.filter((p) => p.tag === 'SPAN');
    assert.notEqual(error.color, warning.color);
  } finally {
    await done();
  }
});
