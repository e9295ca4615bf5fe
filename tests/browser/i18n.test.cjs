// A site in German (`language: de`) in headless Chromium: the practice log, the quiz,
// search and the light/dark switch speak German, numbers and dates follow the language,
// and axe finds no WCAG 2.1 AA violation in light and dark at 390 px and 1280 px.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { FIXTURE, buildSite, serveStatic, launchChromium, newPage, axe } = require('./learner_helpers.cjs');

const SITE = {
  ...FIXTURE,
  'site.yaml': 'title: Verkaufslabor\ndescription: Übung macht Gewohnheiten.\nlanguage: de\n',
};

let site;
let server;
let browser;

before(async () => {
  site = buildSite(SITE);
  server = await serveStatic(site.out, '/labor/');
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

test('the practice log speaks German, with a German date', async () => {
  const { context, page } = await open('exercises/opening/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  const log = page.getByRole('region', { name: 'Übungsprotokoll' });
  assert.match(await log.locator('[data-practice-progress-text]').textContent(), /Noch nicht begonnen · 0 von 2 Durchgängen erledigt/);
  await log.getByLabel('Durchgang 1 erledigt').check();
  const status = await log.getByRole('status').first().textContent();
  assert.match(status, /^Durchgang 1 erledigt am \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}\. 1 von 2 Durchgängen erledigt\.$/);
  assert.match(await log.locator('[data-practice-progress-text]').textContent(), /^1 von 2 Durchgängen erledigt$/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a refused progress file is explained in German', async () => {
  const { context, page } = await open('exercises/opening/');
  const refuse = async (text) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Fortschritt importieren' }).click();
    await (await chooser).setFiles({ name: 'fremd.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    const alert = page.locator('[data-practice-error]');
    await alert.filter({ hasText: 'Es wurde nichts importiert' }).waitFor();
    const said = await alert.textContent();
    await page.evaluate(() => { document.querySelector('[data-practice-error]').textContent = ''; });
    return said;
  };
  assert.match(await refuse('not json'), /Diese Datei ist keine salesbook-Fortschrittsdatei: Sie enthält kein gültiges JSON\./);
  const other = { format: 'salesbook-practice-log', version: 1, site: 'Anderswo', logs: {} };
  assert.match(await refuse(JSON.stringify(other)), /gehört zu einer anderen Website \(„Anderswo“\), nicht zu „Verkaufslabor“/);
  assert.match(await refuse(JSON.stringify({ ...other, site: undefined, version: 3000 })), /Formatversion 3\.000\); diese Seite liest Version 2\./);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the quiz speaks German: a hint first, then right with the explanation and a score', async () => {
  const { context, page } = await open('exercises/opening/');
  const q1 = page.locator('#sb-quiz-1');
  await q1.getByRole('button', { name: 'Antwort prüfen' }).click();
  assert.equal(await q1.getByRole('status').textContent(), 'Wählen Sie zuerst eine Antwort.');
  await q1.getByLabel('One').check();
  await q1.getByRole('button', { name: 'Antwort prüfen' }).click();
  assert.match(await q1.getByRole('status').textContent(), /^Nicht ganz\. Versuchen Sie es noch einmal/);
  await q1.getByLabel('Three').check();
  await q1.getByRole('button', { name: 'Antwort prüfen' }).click();
  assert.equal(await q1.getByRole('status').textContent(), 'Richtig. One try tells you little.');
  assert.equal(await page.locator('[data-quiz-score]').textContent(), '1 von 2 richtig');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('search speaks German: kinds, result counts and no match', async () => {
  const { context, page } = await open('');
  const box = page.getByRole('searchbox', { name: 'Suche' });
  await box.fill('opening');
  const first = page.locator('#sb-search-results li a').first();
  await first.waitFor();
  assert.match(await first.textContent(), /Übung/);
  await page.waitForFunction(() => /Treffer für opening$/.test(document.getElementById('sb-search-status').textContent));
  await box.fill('zzzzqqq');
  await page.waitForFunction(() => /^Keine Treffer für zzzzqqq$/.test(document.getElementById('sb-search-status').textContent));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the light/dark switch speaks German', async () => {
  const { context, page } = await open('');
  const scheme = page.getByRole('combobox', { name: 'Darstellung' });
  const options = await scheme.locator('option').allTextContents();
  assert.deepEqual(options, ['Automatisch', 'Hell', 'Dunkel']);
  await scheme.selectOption('dark');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-color-scheme')), 'dark');
  await context.close();
});

for (const width of [390, 1280]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`axe: no WCAG 2.1 AA violation on the German site at ${width} px in ${colorScheme} mode`, async () => {
      const { context, page } = await open('', { viewport: { width, height: 900 }, colorScheme });
      const problems = {};
      for (const path of ['', 'interviews/talk/', 'exercises/opening/', 'tracks/habit/', 'tracks/habit/workbook/', 'topics/']) {
        await page.goto(server.url + path);
        const violations = await axe(page);
        if (violations.length) problems[path || 'home'] = violations;
      }
      assert.deepEqual(problems, {}, JSON.stringify(problems, null, 2));
      assert.deepEqual(page.errors, []);
      await context.close();
    });
  }
}
