// The 404 page as a host serves it: at any missing address, however deep, under a
// sub-path. Its home links must lead home from there, with or without base_url.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { execFileSync } = require('node:child_process');

const { BIN, buildSite, serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

const SITE = {
  'site.yaml': 'title: Lost Lab\n',
  'content/_index.md': '---\ntitle: Welcome home\n---\nThe home page.\n',
  'content/about.md': '---\ntitle: About\n---\nAbout the lab.\n',
};

let browser;
const cleanups = [];

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Builds SITE (with extra build arguments made from the server's URL) and serves it
 *  under /lab/ from a host that answers misses with the site's 404.html. */
async function hostedSite(argsFor = () => []) {
  const first = buildSite(SITE);
  const server = await serveStatic(first.out, '/lab/', { notFoundPage: true });
  cleanups.push(() => server.close(), () => first.remove());
  const args = argsFor(server.url);
  if (args.length) {
    // Built again into the same folder: the server reads it at each request.
    execFileSync(BIN, ['build', first.dir, '-o', first.out, ...args], { stdio: 'ignore' });
  }
  return server;
}

async function followHomeLink(server, name, options = {}) {
  const context = await browser.newContext(options);
  const page = await newPage(context, new URL(server.url).origin);
  const missing = server.url + 'no/such/page/';
  const answer = await page.goto(missing);
  assert.equal(answer.status(), 404);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found');
  const link = page.getByRole('link', { name });
  // The page's script may still be looking for the site's root.
  for (let tries = 0; tries < 50 && (await link.getAttribute('href')) === './'; tries += 1) {
    await page.waitForTimeout(100);
  }
  await link.click();
  await page.waitForURL(server.url, { timeout: 5000 });
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  await context.close();
  return heading;
}

test('from a missing page three levels deep, the home links lead home (no base_url)', async () => {
  const server = await hostedSite();
  assert.equal(await followHomeLink(server, 'Go to the home page'), 'Welcome home');
  assert.equal(await followHomeLink(server, 'Lost Lab'), 'Welcome home');
});

test('with base_url the home links lead home even with JavaScript off', async () => {
  const server = await hostedSite((url) => ['--base-url', url]);
  const heading = await followHomeLink(server, 'Go to the home page', { javaScriptEnabled: false });
  assert.equal(heading, 'Welcome home');
});

test('the 404 page at its own address keeps its relative home link', async () => {
  const server = await hostedSite();
  const context = await browser.newContext();
  const page = await newPage(context, new URL(server.url).origin);
  await page.goto(server.url + '404.html');
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await page.waitForURL(server.url);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Welcome home');
  await context.close();
});
