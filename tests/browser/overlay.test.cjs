// The error overlay of `salesbook serve`: readable in light and dark mode and on a
// theme with hostile styles (it lives in a shadow root with styles of its own), with
// the file:line, the message and the source line with a caret, and no axe violation.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { copySite, startServe, launchChromium, instrument, waitForLiveState } = require('./serve.cjs');
const { axe } = require('./learner_helpers.cjs');

const PAGE = 'exercises/cold-call/';
const FILE = path.join('content', 'exercises', 'cold-call.md');
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
    const parts = [...root.querySelectorAll('h2, .where, .what, pre')].map((node) => {
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

async function brokenPageWithOverlay(scheme, { hostile = false } = {}) {
  const root = copySite();
  const server = await startServe(root);
  const context = await browser.newContext({ colorScheme: scheme });
  const page = await context.newPage();
  await instrument(page);
  await page.goto(server.url + PAGE);
  if (hostile) await page.addStyleTag({ content: HOSTILE_CSS });
  await waitForLiveState(page);
  fs.writeFileSync(path.join(root, FILE), BROKEN);
  await page.locator('#salesbook-errors section').waitFor({ state: 'visible', timeout: 10_000 });
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
