// Role-play exercises in headless Chromium: each attempt's rubric ticks persist across
// a reload, go into the export and come back with an import (a damaged one is refused);
// the model answer appears once the first attempt is logged (and waits behind "try it
// first" without JavaScript; the facilitator edition shows it openly); printed, every
// role card takes a page of its own after the worksheet; axe finds nothing, light and
// dark, at 390 and 1280 px. The SCORM suspend data carries the ticks too.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { buildSite, serveStatic, launchChromium, newPage, axe } = require('./learner_helpers.cjs');
const codec = require('../../themes/default/static/assets/scorm.js');

const FILES = {
  'site.yaml': 'title: Role Lab\nlanguage: en\n',
  'content/_index.md': '---\ntitle: Role Lab\n---\nWelcome.\n',
  'content/exercises/debrief.md': '---\ntitle: Debrief\n---\n## The four questions\n\nAsk them.\n',
  'content/exercises/threes.md': [
    '---',
    'title: Practise in threes',
    'objective: Play the call three ways.',
    'attempts: 2',
    'roles:',
    '  - name: Seller',
    '    brief: |',
    '      Open with a **question**.',
    '  - name: Buyer',
    '    brief: Give short answers.',
    '  - name: Observer',
    '    brief: |',
    '      Tick the rubric, then ask the [four questions](debrief.md#the-four-questions).',
    'rubric:',
    '  - Asked an open question',
    '  - Summarised the problem',
    '  - Asked for a next step',
    'model_answer: |',
    '  The seller asks first, then **summarises**.',
    '---',
    '## How to run it',
    '',
    'Play three rounds.',
    '',
  ].join('\n'),
};

const EXERCISE = 'exercises/threes/';

let site;
let facilitator;
let server;
let facilitatorServer;
let browser;
let origin;

before(async () => {
  site = buildSite(FILES);
  facilitator = buildSite(FILES, ['--audience', 'facilitator']);
  server = await serveStatic(site.out);
  facilitatorServer = await serveStatic(facilitator.out);
  origin = new URL(server.url).origin;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (facilitatorServer) await facilitatorServer.close();
  for (const s of [site, facilitator]) if (s) s.remove();
});

async function open(url, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await newPage(context, new URL(url).origin);
  await page.goto(url);
  return { context, page };
}

function criterion(page, attempt, name) {
  return page
    .getByRole('group', { name: `Attempt ${attempt}: what did you (or your observer) see?` })
    .getByRole('checkbox', { name, exact: true });
}

function storedLog(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith(':exercises/threes'));
    return key ? JSON.parse(localStorage.getItem(key)) : null;
  });
}

async function importFile(page, text) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import progress' }).click();
  await (await chooser).setFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('the roles show as cards with their briefs, links made relative', async () => {
  const { context, page } = await open(server.url + EXERCISE);
  const roles = page.getByRole('region', { name: 'Roles' });
  assert.deepEqual(await roles.getByRole('heading', { level: 3 }).allTextContents(), ['Seller', 'Buyer', 'Observer']);
  assert.equal(await roles.locator('strong').first().textContent(), 'question');
  const link = roles.getByRole('link', { name: 'four questions' });
  assert.equal(await link.getAttribute('href'), '../../exercises/debrief/#the-four-questions');
  await link.click();
  await page.waitForURL(/exercises\/debrief\/#the-four-questions$/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('rubric ticks persist across a reload and go into the export', async () => {
  const { context, page } = await open(server.url + EXERCISE);
  await criterion(page, 1, 'Asked an open question').check();
  await criterion(page, 1, 'Asked for a next step').check();
  await criterion(page, 2, 'Summarised the problem').check();
  await page.reload();
  assert.equal(await criterion(page, 1, 'Asked an open question').isChecked(), true);
  assert.equal(await criterion(page, 1, 'Summarised the problem').isChecked(), false);
  assert.equal(await criterion(page, 1, 'Asked for a next step').isChecked(), true);
  assert.equal(await criterion(page, 2, 'Summarised the problem').isChecked(), true);
  const log = await storedLog(page);
  assert.deepEqual(log.attempts.map((a) => a.rubric), [[true, false, true], [false, true, false]]);
  assert.deepEqual(log.attempts.map((a) => a.done), [false, false], 'ticking the rubric does not log the attempt');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export progress' }).click();
  const text = fs.readFileSync(await (await downloading).path(), 'utf8');
  const data = JSON.parse(text);
  assert.deepEqual(data.logs['exercises/threes'].attempts[0].rubric, [true, false, true]);
  assert.deepEqual(data.logs['exercises/threes'].attempts[1].rubric, [false, true, false]);
  assert.deepEqual(page.errors, []);
  await context.close();

  // Into a fresh profile: the ticks come back.
  const second = await open(server.url + EXERCISE);
  await importFile(second.page, text);
  await second.page.getByRole('status').filter({ hasText: 'Imported' }).waitFor();
  assert.equal(await criterion(second.page, 1, 'Asked for a next step').isChecked(), true);
  assert.equal(await criterion(second.page, 2, 'Summarised the problem').isChecked(), true);

  // A damaged rubric is refused, and nothing changes.
  const damaged = JSON.parse(text);
  damaged.logs['exercises/threes'].attempts[0].rubric = [true, 'yes'];
  await importFile(second.page, JSON.stringify(damaged));
  const alert = second.page.getByRole('alert');
  await alert.filter({ hasText: 'rubric' }).waitFor();
  assert.match(await alert.textContent(), /attempt 1: "rubric" must hold only true or false/);
  assert.deepEqual((await storedLog(second.page)).attempts[0].rubric, [true, false, true]);
  assert.deepEqual(second.page.errors, []);
  await second.context.close();
});

test('the model answer appears once the first attempt is logged', async () => {
  const { context, page } = await open(server.url + EXERCISE);
  const region = page.getByRole('region', { name: 'Model answer' });
  const summary = region.getByText('Try it first, then show the model answer');
  assert.equal(await summary.isVisible(), false, 'hidden before any attempt');
  assert.equal(await region.getByText('once you have logged your first attempt').isVisible(), true);
  assert.equal(await region.getByText('summarises').isVisible(), false);

  await page.getByRole('checkbox', { name: 'Attempt 1 done', exact: true }).check();
  await summary.waitFor({ state: 'visible' });
  assert.equal(await region.getByText('once you have logged your first attempt').isVisible(), false);
  assert.match(await page.locator('[data-practice-status]').textContent(), /The model answer is open below the practice log\./);
  await summary.click();
  assert.equal(await region.getByText('summarises').isVisible(), true);

  // It stays open after a reload, and folds away again when the attempt is unticked.
  await page.reload();
  assert.equal(await summary.isVisible(), true);
  await page.getByRole('checkbox', { name: 'Attempt 1 done', exact: true }).uncheck();
  await summary.waitFor({ state: 'hidden' });
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('without JavaScript the model answer waits, folded, behind "try it first"', async () => {
  const { context, page } = await open(server.url + EXERCISE, { javaScriptEnabled: false });
  const region = page.getByRole('region', { name: 'Model answer' });
  assert.equal(await region.getByText('Try it first, then show the model answer').isVisible(), true);
  assert.equal(await region.getByText('summarises').isVisible(), false);
  await region.getByText('Try it first, then show the model answer').click();
  assert.equal(await region.getByText('summarises').isVisible(), true);
  await context.close();
});

test('the facilitator edition shows the model answer openly', async () => {
  const { context, page } = await open(facilitatorServer.url + EXERCISE);
  const region = page.getByRole('region', { name: 'Model answer' });
  assert.equal(await region.getByText('summarises').isVisible(), true);
  assert.equal(await region.locator('details').count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** The number of pages of a PDF. */
function pdfPages(buffer) {
  return (buffer.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) || []).length;
}

test('printed, each role card takes a page of its own after the worksheet', async () => {
  const { context, page } = await open(server.url + EXERCISE);
  await page.emulateMedia({ media: 'print' });
  const cards = page.locator('.role-card');
  assert.equal(await cards.count(), 3);
  for (let i = 0; i < 3; i++) {
    const style = await cards.nth(i).evaluate((card) => getComputedStyle(card).breakBefore);
    assert.equal(style, 'page', `role card ${i + 1} starts a page`);
  }
  // The cards come after the worksheet: below the practice log on paper.
  const [logBottom, firstCardTop] = await page.evaluate(() => [
    document.querySelector('.practice-log').getBoundingClientRect().bottom,
    document.querySelector('.role-card').getBoundingClientRect().top,
  ]);
  assert.ok(firstCardTop >= logBottom, `the roles print after the practice log (${firstCardTop} < ${logBottom})`);

  for (const format of ['A4', 'Letter']) {
    const withRoles = pdfPages(await page.pdf({ format }));
    await page.evaluate(() => document.querySelector('.roles').remove());
    const without = pdfPages(await page.pdf({ format }));
    await page.reload();
    await page.emulateMedia({ media: 'print' });
    assert.equal(withRoles, without + 3, `${format}: the worksheet's ${without} pages, then one per role (${withRoles})`);
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [390, 1280]) {
    test(`axe finds no WCAG 2.1 AA problem, ${colorScheme} mode, ${width} px`, async () => {
      const { context, page } = await open(server.url + EXERCISE, { colorScheme, viewport: { width, height: 900 } });
      assert.deepEqual(await axe(page), [], 'before the first attempt');
      await page.getByRole('checkbox', { name: 'Attempt 1 done', exact: true }).check();
      await criterion(page, 1, 'Asked an open question').check();
      await page.getByText('Try it first, then show the model answer').click();
      assert.deepEqual(await axe(page), [], 'with the model answer open');
      assert.deepEqual(page.errors, []);
      await context.close();
    });
  }
}

test('the SCORM suspend data carries the rubric ticks', () => {
  const track = {
    steps: [
      { ref: 'exercises/threes', kind: 'exercise', path: 'exercises/threes/index.html', attempts: 3, rubric: 7 },
      { ref: 'exercises/debrief', kind: 'exercise', path: 'exercises/debrief/index.html', attempts: 1 },
    ],
  };
  const ticks = [true, false, true, false, false, false, true];
  const state = {
    logs: {
      'exercises/threes': {
        attempts: [
          { done: true, date: '2026-03-04', notes: '', rubric: ticks },
          { done: false, date: null, notes: '' },
          { done: false, date: null, notes: '' },
        ],
      },
    },
    read: {},
    quiz: {},
  };
  const { text } = codec.encodeProgress(track, state);
  // Seven criteria: two characters an attempt; bits 0 and 2 (5), then bit 1 (2).
  assert.equal(JSON.parse(text).b['exercises/threes'], '52');
  const back = codec.decodeProgress(track, text);
  assert.deepEqual(back.logs['exercises/threes'].attempts[0].rubric, ticks);
  assert.equal(back.logs['exercises/threes'].attempts[1].rubric, undefined);
});
