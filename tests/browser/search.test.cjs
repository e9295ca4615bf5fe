// Search in headless Chromium, on a site served under a sub-path: typing finds the
// expected page first, a result link works under the sub-path, a quote's words find
// the interview it is from, the keyboard drives it, the index loads only when used,
// and without JavaScript the box is a link to the topics page.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { BASE, buildSite, serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

const SITE = {
  'site.yaml': 'title: Search Lab\n',
  'content/_index.md': '---\ntitle: Search Lab\n---\nWelcome.\n',
  'content/speakers/leigh.md': '---\nname: Leigh Ashton\n---\nTrainer.\n',
  'content/interviews/essential-tasks.md': [
    '---',
    'title: Essential Sales Tasks',
    'summary: Why salespeople skip what they know works.',
    'guests: [leigh]',
    '---',
    '## Learn from experience',
    '',
    '> How often do you practice the thing that puts bread on your table?',
    '>',
    '> — Leigh Ashton',
    '',
  ].join('\n'),
  'content/exercises/objection-handling.md':
    '---\ntitle: Objection handling drill\nsummary: Answer the three most common objections.\ntags: [objections]\n---\nPractise each answer aloud.\n',
  'content/exercises/three-tries.md':
    '---\ntitle: Three tries\nsummary: Try a technique three times before you judge it.\n---\nTweak it between tries.\n',
  'content/tracks/path.md': '---\ntitle: Practice path\nitems: [exercises/three-tries]\n---\nA short path.\n',
};

let site;
let server;
let browser;

test.before(async () => {
  site = buildSite(SITE);
  server = await serveStatic(site.out, BASE);
  browser = await launchChromium();
});

test.after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (site) site.remove();
});

/** Opens a page, types `query` into the search box; returns the page and result links. */
async function searchFrom(path, query) {
  const context = await browser.newContext();
  const page = await newPage(context, new URL(server.url).origin);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(server.url + path);
  await page.locator('#sb-search').fill(query);
  await page.locator('#sb-search-results li a').first().waitFor({ timeout: 5000 });
  const results = await page.$$eval('#sb-search-results li a', (links) =>
    links.map((a) => ({ href: a.getAttribute('href'), text: a.innerText.replace(/\s+/g, ' ') })),
  );
  return { context, page, results, requests };
}

test('three letters of a title find it first, with its kind and a highlighted title', async () => {
  const { context, page, results } = await searchFrom('exercises/three-tries/', 'obj');
  assert.match(results[0].text, /Exercise/i);
  assert.match(results[0].text, /Objection handling drill/);
  assert.strictEqual(results[0].href, '../../exercises/objection-handling/');
  const marked = await page.$eval('#sb-search-results li a mark', (m) => m.textContent);
  assert.strictEqual(marked.toLowerCase(), 'obj');
  assert.deepStrictEqual(page.errors, []);
  await context.close();
});

test('a result link works under the sub-path', async () => {
  const { context, page } = await searchFrom('', 'three tries');
  await page.locator('#sb-search-results li a').first().click();
  await page.waitForURL(server.url + 'exercises/three-tries/');
  assert.strictEqual(await page.locator('h1').innerText(), 'Three tries');
  assert.deepStrictEqual(page.errors, []);
  await context.close();
});

test("a quote's words find the interview it is from", async () => {
  const { context, page, results } = await searchFrom('', 'bread on your table');
  assert.match(results[0].text, /Interview/i);
  assert.match(results[0].text, /Essential Sales Tasks/);
  assert.deepStrictEqual(page.errors, []);
  await context.close();
});

test('one typo is forgiven', async () => {
  const { context, results } = await searchFrom('', 'objecton');
  assert.match(results[0].text, /Objection handling drill/);
  await context.close();
});

test('the keyboard drives it: / focuses, arrows move, Enter follows', async () => {
  const context = await browser.newContext();
  const page = await newPage(context, new URL(server.url).origin);
  await page.goto(server.url);
  await page.keyboard.press('/');
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'sb-search');
  await page.keyboard.type('tries');
  await page.locator('#sb-search-results li a').first().waitFor();
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('href'));
  assert.strictEqual(focused, './exercises/three-tries/');
  await page.keyboard.press('Enter');
  await page.waitForURL(server.url + 'exercises/three-tries/');
  await context.close();
});

test('the index loads only when the box is used', async () => {
  const context = await browser.newContext();
  const page = await newPage(context, new URL(server.url).origin);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(server.url);
  await page.waitForLoadState('networkidle');
  assert.ok(!requests.some((u) => u.includes('/search/')), requests.join('\n'));
  await page.locator('#sb-search').fill('tri');
  await page.locator('#sb-search-results li a').first().waitFor();
  assert.ok(requests.some((u) => u.endsWith('/search/docs.json')));
  const shards = requests.filter((u) => u.includes('/search/t/'));
  assert.deepStrictEqual(shards.map((u) => u.split('/').pop()), ['7472.json']);
  await context.close();
});

test('without JavaScript the box is a link to the topics page', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + 'exercises/three-tries/');
  assert.strictEqual(await page.locator('.site-search-box').isVisible(), false);
  const fallback = page.locator('.site-search-fallback');
  assert.strictEqual(await fallback.getAttribute('href'), '../../topics/');
  assert.ok(await fallback.isVisible());
  await context.close();
});
