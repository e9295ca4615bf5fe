// Every page of a site that uses every field, in a learner and a facilitator build,
// in light and dark mode, with practice progress stored: no JS error, no request to
// another origin, no axe-core WCAG 2.1 AA violation. (sitecheck covers light mode
// with empty storage; this covers the rest.)
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { EVERY_FIELD, buildSite, serveStatic, launchChromium, newPage, axe } = require('./learner_helpers.cjs');

let browser;
const builds = {};

/** Every page URL of an output folder, relative to its root. */
function pages(out) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'index.html') found.push(path.relative(out, dir).split(path.sep).join('/'));
    }
  };
  walk(out);
  return found.map((p) => (p ? p + '/' : '')).sort();
}

const PROGRESS = {
  'salesbook:practice:every-field-lab:exercises/full-drill': JSON.stringify({
    title: 'The full drill',
    url: 'exercises/full-drill/',
    updated: '2026-03-04T10:00:00.000Z',
    attempts: [
      { done: true, date: '2026-03-03', notes: 'First go.' },
      { done: false, date: null, notes: '' },
      { done: false, date: null, notes: '' },
      { done: false, date: null, notes: '' },
    ],
  }),
  'salesbook:practice:every-field-lab:exercises/easy': JSON.stringify({
    attempts: [0, 1, 2].map(() => ({ done: true, date: '2026-03-02', notes: '' })),
  }),
  'salesbook:read:every-field-lab:interviews/2026/full-talk': '2026-03-01',
};

before(async () => {
  for (const audience of ['learner', 'facilitator']) {
    const site = buildSite(EVERY_FIELD, ['--audience', audience]);
    builds[audience] = { site, server: await serveStatic(site.out, '/lab/'), pages: pages(site.out) };
  }
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  for (const b of Object.values(builds)) {
    await b.server.close();
    b.site.remove();
  }
});

for (const [audience, schemes] of [['learner', ['light', 'dark']], ['facilitator', ['dark']]]) {
  for (const colorScheme of schemes) {
    test(`every page of the every-field site, ${audience} build, ${colorScheme} mode`, async () => {
      const { server, pages: urls } = builds[audience];
      assert.ok(urls.length >= 20, `pages: ${urls}`);
      const context = await browser.newContext({ colorScheme });
      await context.addInitScript((progress) => {
        if (!sessionStorage.getItem('seeded')) {
          for (const [k, v] of Object.entries(progress)) localStorage.setItem(k, v);
          sessionStorage.setItem('seeded', '1');
        }
      }, PROGRESS);
      const page = await newPage(context, new URL(server.url).origin);
      const problems = {};
      for (const url of urls) {
        const response = await page.goto(server.url + url);
        assert.equal(response.status(), 200, url);
        const violations = await axe(page);
        if (violations.length) problems[url] = violations;
      }
      assert.deepEqual(problems, {}, JSON.stringify(problems, null, 2));
      assert.deepEqual(page.errors, []);

      // The stored progress shows where it should (the plain page of the track was
      // opened by the loop above, so it counts as done too).
      await page.goto(server.url + 'tracks/full-track/');
      const states = await page.locator('.track-item').evaluateAll((items) => items.map((i) => i.dataset.state));
      assert.deepEqual(states, ['done', 'started', 'done', 'done', 'new']);
      await page.goto(server.url);
      assert.match(await page.getByRole('region', { name: 'Continue where you left off' }).textContent(), /The full drill\s+1 of 4 attempts done/);
      await context.close();
    });
  }
}
