// Spaced review in headless Chromium, with the browser's clock moved by playwright:
// reviews fall due after the last attempt, logging one moves the next date, the home
// page lists what is due (oldest first), "Add to calendar" downloads an .ics file that
// parses, export writes format version 2 with the reviews and a version 1 file still
// imports, and the pages with reviews shown pass axe in light and dark.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { FIXTURE, buildSite, serveStatic, launchChromium, newPage, axe } = require('./learner_helpers.cjs');

let site;
let server;
let browser;
let origin;

/** The learner fixture, plus an exercise with its own short schedule and one with none. */
const FILES = {
  ...FIXTURE,
  'content/exercises/quick.md': [
    '---',
    'title: "Ask, listen; repeat: the quick check-in with a long title"',
    'attempts: 1',
    'review: [1, 3]',
    '---',
    'Ask one question and listen.',
    '',
  ].join('\n'),
  'content/exercises/once.md': '---\ntitle: Once is enough\nattempts: 1\nreview: false\n---\nOnce.\n',
};

before(async () => {
  site = buildSite(FILES);
  server = await serveStatic(site.out, '/lab/');
  origin = new URL(server.url).origin;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (site) site.remove();
});

/** Noon of a local day of March 2026. */
function march(day) {
  return new Date(2026, 2, day, 12, 0, 0);
}

async function fresh(day, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  await context.clock.setFixedTime(march(day));
  const page = await newPage(context, origin);
  return { context, page };
}

async function setDay(page, day) {
  await page.clock.setFixedTime(march(day));
}

const check = (page, what, n) => page.getByRole('checkbox', { name: `${what} ${n} done`, exact: true });
const notes = (page, what, n) => page.getByRole('textbox', { name: `${what} ${n} notes`, exact: true });
const nextLine = (page) => page.locator('[data-review-next]');
const due = (page) => page.getByRole('region', { name: 'Due for practice' });

async function doAttempts(page, url, count) {
  await page.goto(server.url + url);
  for (let n = 1; n <= count; n++) await check(page, 'Attempt', n).check();
}

test('a review falls due when the clock moves, and logging it moves the next date', async () => {
  const { context, page } = await fresh(2);
  await page.goto(server.url + 'exercises/opening/');
  assert.equal(await nextLine(page).textContent(), 'Reviews start once all your attempts are done.');
  assert.equal(await check(page, 'Review', 1).isVisible(), false, 'no review cards before the attempts are done');
  await check(page, 'Attempt', 1).check();
  await check(page, 'Attempt', 2).check();
  assert.equal(await nextLine(page).textContent(), 'Next review: 4 March 2026 (review 1 of 3).');
  assert.match(await page.locator('[data-review-item="3"] [data-review-date]').textContent(), /Planned for 23 March 2026/);
  assert.equal(await check(page, 'Review', 2).isDisabled(), true, 'only the next review can be ticked');

  await page.goto(server.url);
  assert.equal(await due(page).isVisible(), false, 'nothing is due yet');

  // Three days later, review 1 (day 2) is a day overdue.
  await setDay(page, 5);
  await page.goto(server.url);
  await due(page).waitFor();
  assert.equal(await due(page).getByRole('listitem').count(), 1);
  assert.equal(await due(page).getByRole('listitem').textContent(), 'A new opening review 1 of 3, due since 4 March 2026');
  await due(page).getByRole('link', { name: 'A new opening' }).click();
  await page.waitForURL(/exercises\/opening\/$/);
  assert.equal(await nextLine(page).textContent(), 'Review 1 of 3 is due: it was planned for 4 March 2026.');

  // Done a day late: review 2 comes 5 days (7 - 2) after this one, not on day 7 + 2.
  await notes(page, 'Review', 1).fill('Still works; shorter now.');
  await check(page, 'Review', 1).check();
  assert.equal(await nextLine(page).textContent(), 'Next review: 10 March 2026 (review 2 of 3).');
  assert.match(await page.getByRole('region', { name: 'Practice log' }).getByRole('status').textContent(),
    /^Review 1 done on 5 March 2026\. Next review: 10 March 2026/);
  assert.match(await page.locator('[data-review-item="3"] [data-review-date]').textContent(), /Planned for 24 March 2026/);

  await page.reload();
  assert.equal(await check(page, 'Review', 1).isChecked(), true);
  assert.equal(await notes(page, 'Review', 1).inputValue(), 'Still works; shorter now.');
  await page.goto(server.url);
  assert.equal(await due(page).isVisible(), false, 'the logged review is no longer due');

  // An exercise with `review: false` has no reviews.
  await doAttempts(page, 'exercises/once/', 1);
  assert.equal(await page.locator('[data-review]').count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the home page lists what is due, the oldest first', async () => {
  const { context, page } = await fresh(1);
  await doAttempts(page, 'exercises/quick/', 1); // review [1, 3]: due on 2 March
  await setDay(page, 2);
  await doAttempts(page, 'exercises/opening/', 2); // default [2, 7, 21]: due on 4 March
  await doAttempts(page, 'exercises/debrief/', 3); // due on 4 March too
  await page.goto(server.url);
  assert.deepEqual(await due(page).getByRole('link').allTextContents(), ['Ask, listen; repeat: the quick check-in with a long title']);

  await setDay(page, 6);
  await page.goto(server.url);
  assert.deepEqual(await due(page).getByRole('link').allTextContents(), [
    'Ask, listen; repeat: the quick check-in with a long title',
    'A new opening',
    'Debrief',
  ]);
  // "Due for practice" comes first, before "Continue where you left off".
  const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
  assert.equal(headings[0], 'Due for practice');
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** Lines of an .ics text after unfolding (RFC 5545, 3.1). */
function unfold(text) {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((line) => line !== '');
}

test('"Add to calendar" downloads an .ics file of the reviews still to do', async () => {
  const { context, page } = await fresh(1);
  await doAttempts(page, 'exercises/quick/', 1);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Add to calendar' }).click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /^review-ask-listen-repeat.*\.ics$/);
  const text = fs.readFileSync(await download.path(), 'utf8');

  assert.ok(text.endsWith('\r\n'));
  assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'every line ends with CRLF');
  for (const line of text.split('\r\n')) {
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `folded at 75 octets: ${line}`);
  }
  const lines = unfold(text);
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.equal(lines.at(-1), 'END:VCALENDAR');
  assert.ok(lines.includes('VERSION:2.0'));
  assert.ok(lines.some((l) => l.startsWith('PRODID:')));
  const events = [];
  let event = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') event = {};
    else if (line === 'END:VEVENT') { events.push(event); event = null; }
    else if (event) {
      const colon = line.indexOf(':');
      event[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  assert.equal(events.length, 2);
  assert.deepEqual(events.map((e) => e['DTSTART;VALUE=DATE']), ['20260302', '20260304']);
  for (const e of events) {
    assert.match(e.UID, /^[^\s]+@[^\s]+$/);
    assert.match(e.DTSTAMP, /^\d{8}T\d{6}Z$/);
    assert.equal(e.SUMMARY, 'Practise again: Ask\\, listen\\; repeat: the quick check-in with a long title');
    assert.equal(e.URL, server.url + 'exercises/quick/');
    assert.match(e.DESCRIPTION, /\\n/);
  }
  assert.notEqual(events[0].UID, events[1].UID);
  assert.match(await page.getByRole('region', { name: 'Practice log' }).getByRole('status').textContent(), /2 review dates/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

async function importFile(page, text) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import progress' }).click();
  await (await chooser).setFiles({ name: 'progress.json', mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('export writes version 2 with the reviews; a version 1 file still imports', async () => {
  const first = await fresh(2);
  await doAttempts(first.page, 'exercises/opening/', 2);
  await setDay(first.page, 4);
  await first.page.reload();
  await notes(first.page, 'Review', 1).fill('On time.');
  await check(first.page, 'Review', 1).check();
  const downloading = first.page.waitForEvent('download');
  await first.page.getByRole('button', { name: 'Export progress' }).click();
  const data = JSON.parse(fs.readFileSync(await (await downloading).path(), 'utf8'));
  assert.equal(data.version, 2);
  const log = data.logs['exercises/opening'];
  assert.deepEqual(log.review, [2, 7, 21]);
  assert.deepEqual(log.reviews, [
    { done: true, date: '2026-03-04', notes: 'On time.' },
    { done: false, date: null, notes: '' },
    { done: false, date: null, notes: '' },
  ]);
  await first.context.close();

  // Into a fresh profile: the reviews come back.
  const second = await fresh(5);
  await second.page.goto(server.url + 'exercises/opening/');
  await importFile(second.page, JSON.stringify(data));
  await second.page.getByRole('status').filter({ hasText: 'Imported 1 practice log' }).waitFor();
  assert.equal(await check(second.page, 'Review', 1).isChecked(), true);
  assert.equal(await notes(second.page, 'Review', 1).inputValue(), 'On time.');
  assert.equal(await nextLine(second.page).textContent(), 'Next review: 9 March 2026 (review 2 of 3).');
  await second.context.close();

  // A version 1 file (no reviews) imports, and the reviews are scheduled from it.
  const third = await fresh(10);
  await third.page.goto(server.url + 'exercises/opening/');
  const old = {
    format: 'salesbook-practice-log',
    version: 1,
    site: 'Learner Lab',
    logs: {
      'exercises/opening': {
        title: 'A new opening',
        url: 'exercises/opening/',
        attempts: [{ done: true, date: '2026-03-01', notes: 'one' }, { done: true, date: '2026-03-03', notes: 'two' }],
      },
    },
  };
  await importFile(third.page, JSON.stringify(old));
  await third.page.getByRole('status').filter({ hasText: 'Imported 1 practice log' }).waitFor();
  assert.equal(await nextLine(third.page).textContent(), 'Review 1 of 3 is due: it was planned for 5 March 2026.');
  // A file of a newer format is refused, with nothing changed.
  await importFile(third.page, JSON.stringify({ ...old, version: 3 }));
  await third.page.getByRole('alert').filter({ hasText: 'newer version' }).waitFor();
  // A damaged review is refused too.
  const damaged = structuredClone(old);
  damaged.version = 2;
  damaged.logs['exercises/opening'].reviews = [{ done: 'yes' }];
  await importFile(third.page, JSON.stringify(damaged));
  await third.page.getByRole('alert').filter({ hasText: 'review 1: "done" must be true or false' }).waitFor();
  assert.deepEqual(third.page.errors, []);
  await third.context.close();
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [390, 1280]) {
    test(`axe: no WCAG 2.1 AA violation with reviews shown, ${colorScheme}, ${width} px`, async () => {
      const { context, page } = await fresh(2, { colorScheme, viewport: { width, height: 900 } });
      await doAttempts(page, 'exercises/opening/', 2);
      await setDay(page, 5);
      await page.reload();
      await check(page, 'Review', 1).check();
      await setDay(page, 12);
      await page.reload();
      const problems = {};
      let violations = await axe(page);
      if (violations.length) problems.exercise = violations;
      await page.goto(server.url);
      await due(page).waitFor();
      violations = await axe(page);
      if (violations.length) problems.home = violations;
      assert.deepEqual(problems, {}, JSON.stringify(problems, null, 2));
      assert.deepEqual(page.errors, []);
      await context.close();
    });
  }
}
