// The practice log in headless Chromium: attempts and notes kept across reloads,
// export and import into a fresh browser profile, malformed and foreign files
// rejected with nothing changed, reset, track progress, "continue where you left
// off", and keys that follow the page's ref and the site, not the URL.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { FIXTURE, buildSite, serveStatic, launchChromium, newPage } = require('./learner_helpers.cjs');

let site;
let other;
let parent;
let server;
let browser;
let origin;

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

before(async () => {
  site = buildSite();
  // The same site under a second path (a move to another host path), and another
  // salesbook site on the same origin with an exercise of the same ref.
  other = buildSite({ ...FIXTURE, 'site.yaml': 'title: Other Lab\n' });
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'salesbook-learner-mount-'));
  fs.cpSync(site.out, path.join(parent, 'site'), { recursive: true });
  fs.cpSync(site.out, path.join(parent, 'moved', 'deeper'), { recursive: true });
  fs.cpSync(other.out, path.join(parent, 'other'), { recursive: true });
  server = await serveStatic(parent, '/lab/');
  origin = new URL(server.url).origin;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  for (const s of [site, other]) if (s) s.remove();
  if (parent) fs.rmSync(parent, { recursive: true, force: true });
});

const EXERCISE = 'site/exercises/opening/';

async function fresh() {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await newPage(context, origin);
  return { context, page };
}

function attemptDone(page, n) {
  return page.getByRole('checkbox', { name: `Attempt ${n} done`, exact: true });
}

function attemptNotes(page, n) {
  return page.getByRole('textbox', { name: `Attempt ${n} notes`, exact: true });
}

async function storage(page) {
  return page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      out[k] = localStorage.getItem(k);
    }
    return out;
  });
}

async function importFile(page, text, name = 'progress.json') {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import progress' }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('attempts and notes are kept across reloads, with the date and the progress bar', async () => {
  const { context, page } = await fresh();
  await page.goto(server.url + EXERCISE);
  const log = page.getByRole('region', { name: 'Practice log' });
  await log.waitFor();
  assert.equal(await log.getByRole('checkbox').count(), 2, 'attempts: 2 in the front matter');
  const progress = log.getByRole('progressbar', { name: 'Your progress' });
  assert.equal(await progress.getAttribute('value'), '0');

  await attemptDone(page, 1).check();
  await attemptNotes(page, 1).fill('Opened with the new line; the customer laughed. Shorter next time.');
  await attemptNotes(page, 2).fill('Planned for Thursday.');
  await attemptNotes(page, 2).blur();
  const date = log.locator('.attempt[data-attempt="1"] time');
  assert.equal(await date.getAttribute('datetime'), today());
  assert.equal(await progress.getAttribute('value'), '1');
  assert.match(await log.getByRole('status').textContent(), /Attempt 1 done on .*1 of 2 attempts done/);

  await page.reload();
  await log.waitFor();
  assert.equal(await attemptDone(page, 1).isChecked(), true);
  assert.equal(await attemptDone(page, 2).isChecked(), false);
  assert.equal(await attemptNotes(page, 1).inputValue(), 'Opened with the new line; the customer laughed. Shorter next time.');
  assert.equal(await attemptNotes(page, 2).inputValue(), 'Planned for Thursday.');
  assert.equal(await log.locator('.attempt[data-attempt="1"] time').getAttribute('datetime'), today());
  assert.equal(await log.getByRole('progressbar', { name: 'Your progress' }).getAttribute('value'), '1');
  assert.match(await log.locator('[data-practice-progress-text]').textContent(), /1 of 2 attempts done/);

  // Keyed by the site and the page's ref, not the URL.
  const keys = Object.keys(await storage(page));
  assert.deepEqual(keys.filter((k) => k.startsWith('salesbook:practice:')), ['salesbook:practice:Learner%20Lab:exercises/opening']);

  // Unticking clears the date.
  await attemptDone(page, 1).uncheck();
  assert.equal(await log.locator('.attempt[data-attempt="1"] time').count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the log follows the site to another path, and another site on the same origin does not see it', async () => {
  const { context, page } = await fresh();
  await page.goto(server.url + EXERCISE);
  await attemptDone(page, 2).check();
  await attemptNotes(page, 2).fill('Kept after a move');
  await attemptNotes(page, 2).blur();

  await page.goto(server.url + 'moved/deeper/exercises/opening/');
  await page.getByRole('region', { name: 'Practice log' }).waitFor();
  assert.equal(await attemptDone(page, 2).isChecked(), true, 'same site, another path: same log');
  assert.equal(await attemptNotes(page, 2).inputValue(), 'Kept after a move');

  await page.goto(server.url + 'other/exercises/opening/');
  await page.getByRole('region', { name: 'Practice log' }).waitFor();
  assert.equal(await attemptDone(page, 2).isChecked(), false, 'another site, same ref: its own log');
  assert.equal(await attemptNotes(page, 2).inputValue(), '');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('export, then import into a fresh profile, gives the same state', async () => {
  const first = await fresh();
  await first.page.goto(server.url + EXERCISE);
  await attemptDone(first.page, 1).check();
  await attemptDone(first.page, 2).check();
  await attemptNotes(first.page, 1).fill('First: too long.\nSecond line "quoted" <b>not bold</b>');
  await attemptNotes(first.page, 2).fill('Second: better.');
  await attemptNotes(first.page, 2).blur();
  await first.page.goto(server.url + 'site/exercises/debrief/');
  await attemptNotes(first.page, 1).fill('Debrief notes');
  await attemptNotes(first.page, 1).blur();
  await first.page.goto(server.url + 'site/interviews/talk/');
  await first.page.goto(server.url + EXERCISE);

  const downloading = first.page.waitForEvent('download');
  await first.page.getByRole('button', { name: 'Export progress' }).click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /^salesbook-progress-learner-lab-\d{4}-\d{2}-\d{2}\.json$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  const data = JSON.parse(text);
  assert.equal(data.format, 'salesbook-practice-log');
  assert.equal(data.version, 2);
  assert.equal(data.site, 'Learner Lab');
  assert.ok(!Number.isNaN(Date.parse(data.exported)));
  assert.deepEqual(Object.keys(data.logs).sort(), ['exercises/debrief', 'exercises/opening']);
  const opening = data.logs['exercises/opening'];
  assert.equal(opening.title, 'A new opening');
  assert.equal(opening.url, 'exercises/opening/');
  assert.deepEqual(opening.attempts, [
    { done: true, date: today(), notes: 'First: too long.\nSecond line "quoted" <b>not bold</b>' },
    { done: true, date: today(), notes: 'Second: better.' },
  ]);
  assert.deepEqual(data.read, { 'interviews/talk': today() });
  assert.match(await first.page.getByRole('region', { name: 'Practice log' }).getByRole('status').textContent(), /Exported 2 practice logs/);
  const before = await storage(first.page);
  assert.deepEqual(first.page.errors, []);
  await first.context.close();

  const second = await fresh();
  await second.page.goto(server.url + EXERCISE);
  assert.equal(await attemptDone(second.page, 1).isChecked(), false, 'a fresh profile starts empty');
  await importFile(second.page, text);
  const log = second.page.getByRole('region', { name: 'Practice log' });
  await log.getByRole('status').filter({ hasText: 'Imported 2 practice logs' }).waitFor();
  assert.equal(await attemptDone(second.page, 1).isChecked(), true);
  assert.equal(await attemptDone(second.page, 2).isChecked(), true);
  assert.equal(await attemptNotes(second.page, 1).inputValue(), 'First: too long.\nSecond line "quoted" <b>not bold</b>');
  assert.equal(await log.getByRole('progressbar', { name: 'Your progress' }).getAttribute('value'), '2');
  const after = await storage(second.page);
  const ours = (s) => Object.fromEntries(Object.entries(s).filter(([k]) => k.startsWith('salesbook:')));
  assert.deepEqual(ours(after), ours(before), 'the same storage as the exporting profile');

  // Importing the same file again changes nothing.
  await importFile(second.page, text);
  await log.getByRole('status').filter({ hasText: 'Imported' }).waitFor();
  assert.deepEqual(ours(await storage(second.page)), ours(before));

  await second.page.goto(server.url + 'site/exercises/debrief/');
  assert.equal(await attemptNotes(second.page, 1).inputValue(), 'Debrief notes');
  assert.deepEqual(second.page.errors, []);
  await second.context.close();
});

test('import merges with what is already there', async () => {
  const { context, page } = await fresh();
  await page.goto(server.url + EXERCISE);
  await attemptDone(page, 2).check();
  await attemptNotes(page, 2).fill('Mine');
  await attemptNotes(page, 2).blur();
  const file = {
    format: 'salesbook-practice-log',
    version: 1,
    site: 'Learner Lab',
    exported: '2026-03-05T10:00:00.000Z',
    logs: {
      'exercises/opening': {
        title: 'A new opening',
        url: 'exercises/opening/',
        updated: '2026-03-05T09:00:00.000Z',
        attempts: [{ done: true, date: '2026-03-04', notes: 'From the other laptop' }, { done: false, date: null, notes: '' }],
      },
    },
  };
  await importFile(page, JSON.stringify(file));
  await page.getByRole('region', { name: 'Practice log' }).getByRole('status').filter({ hasText: 'Imported 1 practice log' }).waitFor();
  assert.equal(await attemptDone(page, 1).isChecked(), true);
  assert.equal(await attemptNotes(page, 1).inputValue(), 'From the other laptop');
  assert.equal(await page.locator('.attempt[data-attempt="1"] time').getAttribute('datetime'), '2026-03-04');
  assert.equal(await attemptDone(page, 2).isChecked(), true, 'done here stays done');
  assert.equal(await attemptNotes(page, 2).inputValue(), 'Mine', 'notes here stay');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a malformed or foreign file is rejected with a clear message and nothing changes', async () => {
  const { context, page } = await fresh();
  await page.goto(server.url + EXERCISE);
  await attemptDone(page, 1).check();
  await attemptNotes(page, 1).fill('Keep me');
  await attemptNotes(page, 1).blur();
  const before = await storage(page);
  const alert = page.getByRole('region', { name: 'Practice log' }).getByRole('alert');

  const good = {
    format: 'salesbook-practice-log',
    version: 1,
    site: 'Learner Lab',
    logs: { 'exercises/opening': { attempts: [{ done: true, date: '2026-03-04', notes: 'x' }] } },
  };
  const bad = [
    ['{"format": "salesbook-practice-log", "version": 1, "logs": {', /not valid JSON/],
    [JSON.stringify({ hello: 'world' }), /not a salesbook progress file/],
    [JSON.stringify([good]), /not a salesbook progress file/],
    [JSON.stringify({ ...good, version: 3 }), /newer version/],
    [JSON.stringify({ ...good, version: '1' }), /version/],
    [JSON.stringify({ ...good, site: 'Somebody Else' }), /another site \(“Somebody Else”\)/],
    [JSON.stringify({ ...good, logs: [] }), /no "logs" object/],
    [JSON.stringify({ ...good, logs: { 'exercises/opening': { attempts: 'all' } } }), /damaged/],
    [JSON.stringify({ ...good, logs: { 'exercises/opening': { attempts: [{ done: 'yes' }] } } }), /"done" must be true or false/],
    [JSON.stringify({ ...good, logs: { 'exercises/opening': { attempts: [{ done: true, date: '4 March' }] } } }), /YYYY-MM-DD/],
    [JSON.stringify({ ...good, logs: { ...good.logs, 'exercises/debrief': { attempts: [{ done: true, notes: 7 }] } } }), /"notes" must be text/],
    [JSON.stringify({ ...good, logs: { 'exercises/opening': { url: 'javascript:alert(1)', attempts: [] } } }), /"url"/],
    [JSON.stringify({ ...good, read: { 'interviews/talk': 'yesterday' } }), /"read"/],
  ];
  for (const [text, message] of bad) {
    await importFile(page, text, 'broken.json');
    await alert.filter({ hasText: 'Nothing was imported' }).waitFor();
    const said = await alert.textContent();
    assert.match(said, message, `for ${text}`);
    assert.ok(await alert.isVisible());
    assert.deepEqual(await storage(page), before, `storage unchanged after ${text}`);
    assert.equal(await attemptNotes(page, 1).inputValue(), 'Keep me');
    assert.equal(await attemptDone(page, 2).isChecked(), false);
    await page.evaluate(() => {
      document.querySelector('[data-practice-error]').textContent = '';
    });
  }

  // A good file afterwards clears the message.
  await importFile(page, JSON.stringify(good));
  await page.getByRole('region', { name: 'Practice log' }).getByRole('status').filter({ hasText: 'Imported 1' }).waitFor();
  assert.equal(await alert.textContent(), '');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('reset asks first, and clears only this exercise', async () => {
  const { context, page } = await fresh();
  await page.goto(server.url + 'site/exercises/debrief/');
  await attemptDone(page, 3).check();
  await page.goto(server.url + EXERCISE);
  await attemptDone(page, 1).check();
  await attemptNotes(page, 1).fill('Will go');
  await attemptNotes(page, 1).blur();

  page.once('dialog', (dialog) => {
    assert.equal(dialog.type(), 'confirm');
    assert.match(dialog.message(), /Reset your practice log for “A new opening”/);
    dialog.dismiss();
  });
  await page.getByRole('button', { name: 'Reset progress' }).click();
  await page.getByRole('region', { name: 'Practice log' }).getByRole('status').filter({ hasText: 'Nothing was reset' }).waitFor();
  assert.equal(await attemptDone(page, 1).isChecked(), true);

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Reset progress' }).click();
  await page.getByRole('region', { name: 'Practice log' }).getByRole('status').filter({ hasText: 'was reset' }).waitFor();
  assert.equal(await attemptDone(page, 1).isChecked(), false);
  assert.equal(await attemptNotes(page, 1).inputValue(), '');
  await page.reload();
  assert.equal(await attemptDone(page, 1).isChecked(), false);
  const keys = Object.keys(await storage(page)).filter((k) => k.startsWith('salesbook:practice:'));
  assert.deepEqual(keys, ['salesbook:practice:Learner%20Lab:exercises/debrief']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the track page and the home page reflect the practice log', async () => {
  const { context, page } = await fresh();
  const track = server.url + 'site/tracks/habit/';
  await page.goto(track);
  const steps = page.locator('.track-item');
  const status = (i) => steps.nth(i).locator('.track-item-status');
  const bar = page.getByRole('progressbar', { name: 'Track progress' });
  assert.equal(await status(0).textContent(), 'Not started');
  assert.equal(await status(1).textContent(), 'Not started');
  assert.equal(await status(2).textContent(), 'Not started');
  assert.equal(await bar.getAttribute('value'), '0');
  assert.equal(await bar.getAttribute('max'), '3');

  await page.goto(server.url + 'site/');
  assert.equal(await page.getByRole('heading', { name: 'Continue where you left off' }).isVisible(), false, 'nothing to continue yet');

  await page.goto(server.url + 'site/interviews/talk/');
  await page.goto(server.url + EXERCISE);
  await attemptDone(page, 1).check();
  await page.goto(track);
  assert.match(await status(0).textContent(), /^Done: opened on /);
  assert.equal(await status(1).textContent(), 'In progress: 1 of 2 attempts done');
  assert.equal(await status(2).textContent(), 'Not started');
  assert.equal(await bar.getAttribute('value'), '1');
  assert.match(await page.locator('[data-track-progress-text]').textContent(), /1 of 3 steps done · 1 of 5 attempts/);
  const next = page.locator('[data-track-next]');
  assert.equal(await next.textContent(), 'Continue with step 2: A new opening');
  assert.equal(await next.getAttribute('href'), '../../exercises/opening/');

  await page.goto(server.url + 'site/');
  const resume = page.getByRole('region', { name: 'Continue where you left off' });
  assert.equal(await resume.isVisible(), true);
  assert.match(await resume.textContent(), /A new opening\s+1 of 2 attempts done, last on /);
  // It comes first: above the home page's title and intro.
  const first = await page.evaluate(() => {
    const shown = [...document.querySelectorAll('main h1, main h2')].filter((h) => h.offsetParent !== null);
    return shown[0].textContent;
  });
  assert.equal(first, 'Continue where you left off');
  const above = await page.evaluate(() =>
    document.querySelector('[data-continue]').getBoundingClientRect().bottom <=
    document.querySelector('.hero .lead, .hero .prose').getBoundingClientRect().top);
  assert.equal(above, true, 'the intro comes after it');
  // The exercise card shows its progress too.
  assert.match(await page.locator('.card[data-ref="exercises/opening"] .card-progress').textContent(), /In progress: 1 of 2/);
  await resume.getByRole('link', { name: 'A new opening' }).click();
  await page.waitForURL(server.url + EXERCISE);

  await attemptDone(page, 2).check();
  await page.goto(track);
  assert.match(await status(1).textContent(), /^Done: all 2 attempts/);
  assert.equal(await steps.nth(1).getAttribute('data-state'), 'done');
  assert.equal(await bar.getAttribute('value'), '2');
  assert.equal(await next.textContent(), 'Continue with step 3: Debrief');

  await page.goto(server.url + 'site/');
  assert.equal(await page.getByRole('region', { name: 'Continue where you left off' }).count(), 0, 'a finished exercise is not offered');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('without storage the practice log still works for the visit and says so', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
  });
  const page = await newPage(context, origin);
  await page.goto(server.url + EXERCISE);
  await attemptDone(page, 1).check();
  assert.equal(await page.getByRole('progressbar', { name: 'Your progress' }).getAttribute('value'), '1');
  assert.match(await page.locator('[data-practice-help]').textContent(), /does not let the page keep your notes/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
