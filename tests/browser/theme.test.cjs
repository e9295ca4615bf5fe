// The theme's layout and look in headless Chromium: the light/dark/auto switch (remembered
// across reloads, applied before salesbook.js runs), the side navigation (current item,
// "Menu" on phones), "On this page" marking the heading being read, a too-wide table
// scrolling in its own keyboard-reachable box, and axe-core WCAG 2.1 AA in light and dark
// at 390 px and 1280 px, with a brand accent colour that needs adjusting.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { FIXTURE, buildSite, serveStatic, launchChromium, newPage, axe } = require('./learner_helpers.cjs');

const WIDE_TABLE = [
  '| Stage | Question to ask | What a good answer sounds like | What to do next | Who owns it | When |',
  '|---|---|---|---|---|---|',
  '| Discovery | What made you look at this now? | A date, a cost, a person who asked | Write the reason down in their words | Account executive | First call |',
  '| Qualification | Who else will weigh in on this? | Names and roles, not “the team” | Offer to meet them before the proposal | Account executive | Second call |',
].join('\n');

const SITE = {
  ...FIXTURE,
  // Yellow: unreadable as link text on white, so the theme must darken it.
  'site.yaml': 'title: Learner Lab\ndescription: Practice makes habits.\nbrand: {logo: /logo.svg, accent: "#ffd400"}\n',
  'static/logo.svg':
    '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="14" fill="#ffd400"/></svg>\n',
  'content/about.md': [
    '---',
    'title: How the lab works',
    '---',
    '## Stages',
    '',
    WIDE_TABLE,
    '',
    '## Roles',
    '',
    'Long text. '.repeat(200),
    '',
    '### Managers',
    '',
    'Long text. '.repeat(200),
    '',
    '#### Weekly review',
    '',
    'Long text. '.repeat(200),
    '',
    '## Next steps',
    '',
    'Long text. '.repeat(200),
    '',
  ].join('\n'),
};

let site;
let server;
let browser;

before(async () => {
  site = buildSite(SITE);
  server = await serveStatic(site.out, '/lab/');
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (site) site.remove();
});

async function open(path, options = {}) {
  const context = await browser.newContext(options);
  const page = await newPage(context, new URL(server.url).origin);
  await page.goto(server.url + path);
  return { context, page };
}

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const WHITE = 'rgb(255, 255, 255)';

test('the light/dark switch is remembered across reloads and applied before the script runs', async () => {
  const { context, page } = await open('', { colorScheme: 'light' });
  const scheme = page.getByRole('combobox', { name: 'Theme' });
  assert.equal(await scheme.inputValue(), 'auto');
  assert.equal(await background(page), WHITE);

  await scheme.selectOption('dark');
  assert.notEqual(await background(page), WHITE);
  await page.reload();
  assert.equal(await page.getByRole('combobox', { name: 'Theme' }).inputValue(), 'dark');
  assert.notEqual(await background(page), WHITE);

  // Without salesbook.js, the script in the head still applies the stored choice.
  await page.route(/\/salesbook\.[0-9a-f]+\.js$/, (route) => route.abort());
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-color-scheme')), 'dark');
  assert.notEqual(await background(page), WHITE);
  await page.unroute(/\/salesbook\.[0-9a-f]+\.js$/);
  await page.goto(server.url + '404.html');
  assert.notEqual(await background(page), WHITE, 'the 404 page follows the choice too');
  await page.goto(server.url);
  page.errors = page.errors.filter((e) => !e.includes('net::ERR_FAILED'));

  await page.reload();
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('auto');
  await page.reload();
  assert.equal(await background(page), WHITE, 'auto follows the system (light here)');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the side navigation shows the track with the current step, behind "Menu" on phones', async () => {
  const wide = await open('exercises/opening/', { viewport: { width: 1280, height: 900 } });
  const steps = wide.page.getByRole('navigation', { name: 'Track steps' });
  assert.equal(await steps.getByRole('link', { name: 'A new opening' }).getAttribute('aria-current'), 'page');
  assert.equal(await steps.getByRole('link', { name: 'Debrief' }).isVisible(), true);
  assert.equal(await steps.getByText('Menu').isVisible(), false);
  await wide.context.close();

  const phone = await open('exercises/opening/', { viewport: { width: 390, height: 844 } });
  const menu = phone.page.getByRole('navigation', { name: 'Track steps' });
  assert.equal(await menu.getByRole('link', { name: 'Debrief' }).isVisible(), false);
  await menu.getByText('Menu').click();
  assert.equal(await menu.getByRole('link', { name: 'Debrief' }).isVisible(), true);
  await phone.context.close();
});

test('with JavaScript off, the side navigation and "On this page" stand open on wide screens', async () => {
  const { context, page } = await open('about/', { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const toc = page.getByRole('navigation', { name: 'On this page' });
  assert.equal(await toc.getByRole('link', { name: 'Weekly review' }).isVisible(), true);
  const sections = page.getByRole('navigation', { name: 'Sections' });
  assert.equal(await sections.getByRole('link', { name: 'Exercises' }).isVisible(), true);
  await context.close();
});

test('"On this page" marks the heading being read', async () => {
  const { context, page } = await open('about/', { viewport: { width: 1280, height: 900 } });
  const marked = () => page.locator('nav.toc a[aria-current]').textContent();
  for (const id of ['managers', 'next-steps', 'roles']) {
    await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'start', behavior: 'instant' }), id);
    const title = await page.locator('#' + id).textContent();
    await page.waitForFunction((t) => {
      const a = document.querySelector('nav.toc a[aria-current]');
      return a && a.textContent === t;
    }, title);
    assert.equal(await marked(), title);
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a table too wide for a phone scrolls in its own box, from the keyboard too', async () => {
  const { context, page } = await open('about/', { viewport: { width: 390, height: 844 } });
  const box = page.getByRole('region', { name: 'Table' });
  const overflow = await box.evaluate((b) => [b.scrollWidth, b.clientWidth]);
  assert.ok(overflow[0] > overflow[1], `the table overflows its box: ${overflow}`);
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.equal(pageWidth, 390, 'the page itself does not scroll sideways');
  await box.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.table-scroll').scrollLeft > 0);
  await context.close();
});

for (const width of [390, 1280]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`axe: no WCAG 2.1 AA violation at ${width} px in ${colorScheme} mode`, async () => {
      const { context, page } = await open('', { viewport: { width, height: 900 }, colorScheme });
      const problems = {};
      for (const path of ['', 'about/', 'interviews/talk/', 'exercises/opening/', 'tracks/habit/', 'speakers/guest/', 'exercises/']) {
        await page.goto(server.url + path);
        for (const summary of await page.locator('details.disclosure:not([open]) > summary:visible').all()) {
          await summary.click();
        }
        const violations = await axe(page);
        if (violations.length) problems[path || 'home'] = violations;
      }
      assert.deepEqual(problems, {}, JSON.stringify(problems, null, 2));
      assert.deepEqual(page.errors, []);
      await context.close();
    });
  }
}
