// Search in headless Chromium, on a site served under a sub-path: typing finds the
// expected page first, a result link works under the sub-path, a quote's words find
// the interview it is from, the keyboard drives it, the index loads only when used,
// and without JavaScript the box is a link to the topics page. Excerpts come from
// the index, cut between words around the query, under their section's heading;
// a search fetches no page; the keyboard focus is drawn in the accent colour.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { BASE, buildSite, serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

const REVIEW =
  'Most teams meet on Monday morning to go over numbers that everyone has seen already. ' +
  'Leigh suggests a different habit for sales managers who want better calls: spend the weekly ' +
  'pipeline review on one deal at a time, asking what the buyer said in their own words, and what ' +
  'the seller will say differently on the next call. It takes longer at first, yet it builds the ' +
  'muscle that matters most when a deal gets stuck near the end of the quarter.';

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
  'content/interviews/weekly-review.md': [
    '---',
    'title: Coaching managers',
    '---',
    '## Running the weekly review',
    '',
    REVIEW,
    '',
  ].join('\n'),
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
  const shards = requests.filter((u) => u.includes('/search/t/') && !u.includes('/doc-'));
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

test('an excerpt is cut between words around the query, under its heading', async () => {
  const { context, page } = await searchFrom('', 'pipeline');
  const row = page.locator('#sb-search-results li a').first();
  await row.locator('.site-search-section').waitFor();
  assert.strictEqual(await row.locator('.site-search-section').innerText(), 'Running the weekly review');
  const excerpt = await row.locator('.site-search-excerpt > span:last-child').innerText();
  assert.match(excerpt, /^… .* …$/);
  const inner = excerpt.slice(2, -2);
  const at = REVIEW.indexOf(inner);
  assert.ok(at > 0, `"${inner}" is not a passage of the text`);
  assert.strictEqual(REVIEW[at - 1], ' ', `starts mid-word: "${inner}"`);
  assert.match(REVIEW[at + inner.length], /[\s.,;:]/, `ends mid-word: "${inner}"`);
  assert.ok(inner.length <= 170, inner);
  assert.strictEqual(await row.locator('.site-search-excerpt mark').innerText(), 'pipeline');
  assert.deepStrictEqual(page.errors, []);
  await context.close();
});

test('a search fetches the index only, never a page', async () => {
  const context = await browser.newContext();
  const page = await newPage(context, new URL(server.url).origin);
  await page.goto(server.url);
  await page.waitForLoadState('networkidle');
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  for (const query of ['pipeline', 'objection', 'tries']) {
    await page.locator('#sb-search').fill(query);
    await page.locator('#sb-search-results li a .site-search-excerpt mark').first().waitFor();
  }
  await page.waitForLoadState('networkidle');
  assert.ok(requests.length > 0);
  const pages = requests.filter((u) => !u.includes('/search/'));
  assert.deepStrictEqual(pages, []);
  await context.close();
});

test('the keyboard focus on a result is visible, and not in the warning orange', async () => {
  const { context, page } = await searchFrom('', 'tries');
  await page.locator('#sb-search').press('ArrowDown');
  const ring = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return { tag: document.activeElement.tagName, style: style.outlineStyle, width: style.outlineWidth, color: style.outlineColor };
  });
  assert.strictEqual(ring.tag, 'A');
  assert.notStrictEqual(ring.style, 'none');
  assert.ok(parseFloat(ring.width) >= 2, JSON.stringify(ring));
  assert.notStrictEqual(ring.color, 'rgb(194, 65, 12)');
  await context.close();
});
