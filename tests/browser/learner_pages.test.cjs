// Learner pages in headless Chromium: the quiz check (mouse and keyboard), the
// pages with JavaScript off, print-media emulation (a clean worksheet, no
// navigation, white paper in dark mode, the facilitator banner), and axe-core
// WCAG 2.1 AA in light and dark with the practice log in use.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const fs = require('node:fs');
const path = require('node:path');
const { buildSite, serveStatic, launchChromium, newPage, axe } = require('./learner_helpers.cjs');

let site;
let facilitator;
let server;
let facilitatorServer;
let browser;

before(async () => {
  site = buildSite();
  facilitator = buildSite(undefined, ['--audience', 'facilitator']);
  server = await serveStatic(site.out, '/lab/');
  facilitatorServer = await serveStatic(facilitator.out, '/guide/');
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (facilitatorServer) await facilitatorServer.close();
  for (const s of [site, facilitator]) if (s) s.remove();
});

async function open(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await newPage(context, new URL(url).origin);
  await page.goto(url);
  return { context, page };
}

function question(page, text) {
  return page.getByRole('group', { name: text });
}

test('the quiz checks the chosen answer and explains it', async () => {
  const { context, page } = await open(server.url + 'exercises/opening/');
  const q1 = question(page, 'How many tries before you judge?');
  const feedback = q1.getByRole('status');
  await q1.getByRole('button', { name: 'Check answer' }).click();
  assert.equal(await feedback.textContent(), 'Choose an answer first.');

  await q1.getByRole('radio', { name: 'One' }).check();
  await q1.getByRole('button', { name: 'Check answer' }).click();
  // A wrong answer gives nothing away: the learner tries again.
  assert.equal(await feedback.textContent(), 'Not quite. Try again, or open “Show answer”.');
  assert.equal(await q1.locator('details.quiz-answer').evaluate((d) => d.open), false);

  await q1.getByRole('radio', { name: 'Three' }).check();
  assert.equal(await feedback.textContent(), '', 'a new choice clears the verdict');
  await q1.getByRole('button', { name: 'Check answer' }).click();
  assert.equal(await feedback.textContent(), 'Correct. One try tells you little.');

  // A question without an explanation.
  const q2 = question(page, 'What do you change between tries?');
  await q2.getByRole('radio', { name: 'One thing' }).check();
  await q2.getByRole('button', { name: 'Check answer' }).click();
  assert.equal(await q2.getByRole('status').textContent(), 'Correct. ');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('quiz answers are remembered across a reload and scored', async () => {
  const { context, page } = await open(server.url + 'exercises/opening/');
  const score = page.locator('[data-quiz-score]');
  assert.equal(await score.isVisible(), false, 'no score before an answer');
  const q1 = question(page, 'How many tries before you judge?');
  const q2 = question(page, 'What do you change between tries?');
  await q1.getByRole('radio', { name: 'Three' }).check();
  await q1.getByRole('button', { name: 'Check answer' }).click();
  await q2.getByRole('radio', { name: 'Everything' }).check();
  await q2.getByRole('button', { name: 'Check answer' }).click();
  assert.equal(await score.textContent(), '1 of 2 right');
  await page.reload();
  assert.equal(await q1.getByRole('radio', { name: 'Three' }).isChecked(), true);
  assert.equal(await q1.getByRole('status').textContent(), 'Correct. One try tells you little.');
  assert.equal(await q2.getByRole('radio', { name: 'Everything' }).isChecked(), true);
  assert.match(await q2.getByRole('status').textContent(), /^Not quite\. Try again/);
  assert.equal(await score.textContent(), '1 of 2 right');
  // Tried again, right this time.
  await q2.getByRole('radio', { name: 'One thing' }).check();
  await q2.getByRole('button', { name: 'Check answer' }).click();
  assert.equal(await score.textContent(), '2 of 2 right');
  await page.reload();
  assert.equal(await score.textContent(), '2 of 2 right');
  // "Show answer" reveals the answer and the explanation on demand.
  const fresh = await open(server.url + 'exercises/opening/');
  await fresh.page.evaluate(() => localStorage.clear());
  await fresh.page.reload();
  const q = question(fresh.page, 'How many tries before you judge?');
  await q.getByText('Show answer').click();
  assert.match(await q.locator('details.quiz-answer').innerText(), /Answer: Three\s+One try tells you little\./);
  assert.deepEqual(page.errors, []);
  await fresh.context.close();
  await context.close();
});

test('the quiz works from the keyboard alone', async () => {
  const { context, page } = await open(server.url + 'exercises/opening/');
  const q1 = question(page, 'How many tries before you judge?');
  await q1.getByRole('radio', { name: 'One' }).focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await q1.getByRole('radio', { name: 'Three' }).isChecked(), true);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Check answer');
  await page.keyboard.press('Enter');
  assert.equal(await q1.getByRole('status').textContent(), 'Correct. One try tells you little.');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Show answer');
  await page.keyboard.press('Enter');
  assert.equal(await q1.locator('details').getAttribute('open'), '');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('with JavaScript off: the answers reveal with <details>, the attempts are a plain checklist', async () => {
  const { context, page } = await open(server.url + 'exercises/opening/', { javaScriptEnabled: false });
  const q1 = question(page, 'How many tries before you judge?');
  assert.equal(await q1.getByText('Answer: Three').isVisible(), false);
  await q1.getByText('Show answer').click();
  assert.equal(await q1.getByText('Answer: Three').isVisible(), true);
  assert.equal(await q1.getByText('One try tells you little.').isVisible(), true);

  const log = page.getByRole('region', { name: 'Practice log' });
  assert.equal(await log.getByRole('checkbox', { name: 'Attempt 1 done' }).isVisible(), true);
  assert.equal(await log.getByRole('textbox', { name: 'Attempt 2 notes' }).isVisible(), true);
  assert.equal(await page.getByRole('button', { name: 'Export progress' }).isVisible(), false, 'no dead buttons');
  assert.equal(await log.getByRole('progressbar').count(), 0);
  await context.close();
});

test('printing an exercise gives a clean worksheet, on white paper even in dark mode', async () => {
  const { context, page } = await open(server.url + 'exercises/opening/', { colorScheme: 'dark' });
  const screenBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(screenBg, 'rgb(255, 255, 255)', 'dark on screen');
  await page.getByRole('checkbox', { name: 'Attempt 1 done' }).check();
  await page.getByRole('textbox', { name: 'Attempt 1 notes' }).fill('Printed note');
  await page.getByRole('textbox', { name: 'Attempt 1 notes' }).blur();

  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  const visible = async (selector) => page.locator(selector).first().isVisible();
  for (const hidden of ['.site-nav', '.breadcrumb', '.site-footer', '.track-nav', '.practice-log-tools', '.quiz-actions', '.skip-link', '.related']) {
    assert.equal(await visible(hidden), false, `${hidden} is hidden in print`);
  }
  assert.equal(await page.getByRole('navigation').filter({ visible: true }).count(), 0, 'no navigation at all');
  for (const shown of ['#sb-objective', '.prose', '#sb-reflection', '.write-space', '.attempt', '.worksheet-fields', '.quiz-question']) {
    assert.equal(await visible(shown), true, `${shown} is printed`);
  }
  assert.equal(await page.getByRole('checkbox', { name: 'Attempt 2 done' }).isVisible(), true, 'attempt boxes');
  assert.equal(await visible('.attempt[data-attempt="2"] .attempt-date-blank'), true, 'a date line to fill in');
  assert.equal(await visible('.attempt[data-attempt="1"] .attempt-date-value'), true, 'the date it was done');
  assert.equal(await page.locator('.attempt[data-attempt="1"] .attempt-notes-print').textContent(), 'Printed note');
  assert.equal(await visible('.attempt[data-attempt="1"] .attempt-notes-print'), true);
  assert.equal(await visible('details.quiz-answer'), false, 'answers are not printed');
  const colors = await page.evaluate(() => ({
    body: getComputedStyle(document.body).backgroundColor,
    html: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.body).color,
    objective: getComputedStyle(document.querySelector('.objective')).backgroundColor,
    attempt: getComputedStyle(document.querySelector('.attempt')).backgroundColor,
    textarea: getComputedStyle(document.querySelector('textarea')).backgroundColor,
  }));
  assert.deepEqual(colors, {
    body: 'rgb(255, 255, 255)',
    html: 'rgb(255, 255, 255)',
    text: 'rgb(0, 0, 0)',
    objective: 'rgb(255, 255, 255)',
    attempt: 'rgb(255, 255, 255)',
    textarea: 'rgb(255, 255, 255)',
  });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.ok(pdf.length > 1000, 'Chromium prints it');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the workbook prints every exercise with its prompts and attempt boxes, one step per page', async () => {
  const { context, page } = await open(server.url + 'tracks/habit/workbook/');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'The habit');
  const steps = page.locator('.workbook-item');
  assert.equal(await steps.count(), 3);
  assert.equal(await page.locator('.workbook-exercise .attempts-sheet').nth(0).locator('.attempt').count(), 2);
  assert.equal(await page.locator('.workbook-exercise .attempts-sheet').nth(1).locator('.attempt').count(), 3);
  assert.equal(await page.getByRole('heading', { name: 'Answers to the self-check questions' }).count(), 1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-nav').isVisible(), false);
  assert.equal(
    await steps.nth(1).evaluate((e) => getComputedStyle(e).breakBefore),
    'page',
    'each step starts a new page',
  );
  assert.equal(await page.locator('.workbook-exercise .write-space').first().isVisible(), true);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a facilitator build marks its notes and prints its banner', async () => {
  const { context, page } = await open(facilitatorServer.url + 'exercises/opening/');
  const banner = page.locator('.edition-banner');
  assert.match(await banner.textContent(), /Facilitator edition/);
  const note = page.locator('aside.callout-facilitator');
  assert.match(await note.textContent(), /Ask the group for their lines first/);
  assert.equal(await note.evaluate((e) => getComputedStyle(e).borderTopStyle), 'dashed');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await banner.isVisible(), true, 'the banner prints');
  assert.equal(await note.isVisible(), true, 'the notes print');
  assert.equal(await page.locator('.site-nav').isVisible(), false);
  await context.close();

  const learner = await open(server.url + 'exercises/opening/');
  assert.equal(await learner.page.locator('aside.callout-facilitator').count(), 0);
  assert.equal(await learner.page.locator('.edition-banner').count(), 0);
  await learner.context.close();
});

// Pages with the learner's state shown (attempts done, quiz feedback, an import error,
// track statuses, "continue"), in both color schemes: zero axe WCAG 2.1 AA violations.
for (const colorScheme of ['light', 'dark']) {
  test(`axe: no WCAG 2.1 AA violation in ${colorScheme} mode, with progress shown`, async () => {
    const context = await browser.newContext({ colorScheme });
    const origin = new URL(server.url).origin;
    const page = await newPage(context, origin);
    await page.goto(server.url + 'interviews/talk/');
    await page.goto(server.url + 'exercises/opening/');
    await page.getByRole('checkbox', { name: 'Attempt 1 done' }).check();
    await page.getByRole('textbox', { name: 'Attempt 1 notes' }).fill('Notes');
    const q1 = question(page, 'How many tries before you judge?');
    await q1.getByRole('radio', { name: 'One' }).check();
    await q1.getByRole('button', { name: 'Check answer' }).click();
    const q2 = question(page, 'What do you change between tries?');
    await q2.getByRole('radio', { name: 'One thing' }).check();
    await q2.getByRole('button', { name: 'Check answer' }).click();
    await q2.getByText('Show answer').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import progress' }).click();
    await (await chooser).setFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('nope') });
    await page.getByRole('alert').filter({ hasText: 'Nothing was imported' }).waitFor();

    const problems = {};
    const check = async (name) => {
      const violations = await axe(page);
      if (violations.length) problems[name] = violations;
    };
    await check('exercise');
    for (const url of ['', 'interviews/talk/', 'tracks/habit/', 'tracks/habit/workbook/', 'exercises/', 'exercises/debrief/', 'speakers/host/']) {
      await page.goto(server.url + url);
      await check(url || 'home');
    }
    assert.equal(await page.goto(server.url).then(() => page.getByRole('region', { name: 'Continue where you left off' }).isVisible()), true);
    assert.deepEqual(problems, {}, JSON.stringify(problems, null, 2));
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

/** The repository's sample site (site.yaml, content/ and static/), as files for buildSite. */
function sampleSite() {
  const repo = path.resolve(__dirname, '..', '..');
  const files = { 'site.yaml': fs.readFileSync(path.join(repo, 'site.yaml'), 'utf8') };
  for (const folder of ['content', 'static']) {
    for (const entry of fs.readdirSync(path.join(repo, folder), { recursive: true })) {
      const full = path.join(repo, folder, entry);
      if (fs.statSync(full).isFile()) files[path.join(folder, entry)] = fs.readFileSync(full, 'utf8');
    }
  }
  return files;
}

test('each sample exercise prints as a worksheet of at most two A4 pages, then its role cards', async () => {
  const sample = buildSite(sampleSite());
  const sampleServer = await serveStatic(sample.out, '/lab/');
  const { context, page } = await open(sampleServer.url);
  try {
    const exercises = fs.readdirSync(path.join(sample.dir, 'content', 'exercises'))
      .map((name) => name.replace(/\.md$/, ''));
    assert.ok(exercises.length >= 4, exercises.join(', '));
    for (const slug of exercises) {
      await page.goto(sampleServer.url + 'exercises/' + slug + '/');
      const pdf = await page.pdf({ format: 'A4' });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      // A role-play's cards print after the worksheet, one page each.
      const roles = await page.locator('.role-card').count();
      assert.ok(pages >= 1 + roles && pages <= 2 + roles, `${slug} prints on ${pages} pages, ${roles} of them role cards`);
    }
  } finally {
    await context.close();
    await sampleServer.close();
    sample.remove();
  }
});
