// The SCORM 1.2 package in headless Chromium, with scorm-again's SCORM 1.2 run-time
// playing the LMS: the learner works through the track in the package's launch page,
// the LMS receives lesson_status, score and suspend data (and one LMSInitialize, commits,
// one LMSFinish), and a new session started from what the LMS kept shows the progress
// again. Also: failing then passing against the mastery score, notes beyond the 4,096
// characters of suspend data, a spaced review kept at that limit, the API found through
// window.opener, and the package outside an LMS (localStorage, as on the site).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { launchChromium, newPage, axe } = require('./learner_helpers.cjs');
const { RUNTIME, buildPackages, unpack, serveLms, until } = require('./lms_helpers.cjs');
const codec = require(RUNTIME);

let site;
let packageDir;
let server;
let browser;
let track;

before(async () => {
  site = buildPackages();
  packageDir = unpack(site.out, 'habit');
  const launchHtml = fs.readFileSync(`${packageDir}/index.html`, 'utf8');
  track = JSON.parse(/<script type="application\/json" id="sb-lms-data">([^<]*)<\/script>/.exec(launchHtml)[1]);
  server = await serveLms(packageDir);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (site) site.remove();
  if (packageDir) fs.rmSync(packageDir, { recursive: true, force: true });
});

/** A fresh browser profile (another machine) with the host page open; `now` fixes its
 *  clock. */
async function openHost(query = '', now = null) {
  const context = await browser.newContext();
  if (now) await context.clock.setFixedTime(now);
  const page = await newPage(context, server.origin);
  await page.goto(`${server.origin}/host.html${query}`);
  const launch = page.frameLocator('#sco');
  const content = launch.frameLocator('#sb-lms-frame');
  return { context, page, launch, content };
}

/** The query that starts a new session from what the LMS kept of the last one. */
function resumeQuery(saved) {
  const cmi = {
    core: {
      lesson_status: saved.lesson_status,
      lesson_location: saved.lesson_location,
      entry: 'resume',
      score: { raw: saved.score_raw },
    },
    suspend_data: saved.suspend_data,
    student_data: { mastery_score: '60' },
  };
  return `?cmi=${encodeURIComponent(JSON.stringify(cmi))}`;
}

/** Waits for the page titled `name` in the package's frame, and for its deferred scripts
 * and load handlers: until then its boxes do not yet show what was kept, and a click on
 * them is undone when salesbook.js draws the practice log. */
async function heading(content, name) {
  await content.getByRole('heading', { level: 1, name }).waitFor();
  await content.locator('html').evaluate(() => document.readyState === 'complete'
    || new Promise((loaded) => window.addEventListener('load', () => loaded(true), { once: true })));
}

async function answer(content, question, choice) {
  const group = content.getByRole('group', { name: question });
  await group.getByLabel(choice, { exact: true }).check();
  await group.getByRole('button', { name: 'Check answer' }).click();
}

const cmi = (page) => page.evaluate(() => window.cmi());
const calls = (page, name) => page.evaluate((n) => window.calls(n).length, name);

test('a learner passes the track in the LMS, and a new session shows the progress again', async () => {
  const { context, page, launch, content } = await openHost();
  await heading(content, 'The habit');
  assert.equal(await calls(page, 'LMSInitialize'), 1);
  await until(page, () => window.API.cmi.core.lesson_status === 'incomplete', null, 'status incomplete');
  await launch.getByRole('status').filter({ hasText: 'saved to your learning platform' }).waitFor();

  // Step 1, the interview: a link to a page outside the package is plain text.
  await launch.getByRole('button', { name: /^Next/ }).click();
  await heading(content, 'The Talk');
  assert.equal(await content.getByRole('link', { name: 'about the lab' }).count(), 0);
  assert.equal(await content.locator('[data-lms-unlinked]', { hasText: 'about the lab' }).count(), 1);
  await content.getByRole('link', { name: 'try the opening' }).waitFor();

  // Step 2: both attempts, a note, one right and one wrong answer.
  await launch.getByRole('button', { name: /^Next/ }).click();
  await heading(content, 'A new opening');
  const log = content.getByRole('region', { name: 'Practice log' });
  await log.getByLabel('Attempt 1 done').check();
  await log.getByLabel('Attempt 1 notes').fill('Too long: cut it to one sentence.');
  await log.getByLabel('Attempt 2 done').check();
  await answer(content, 'How many tries before you judge?', 'Three');
  await answer(content, 'What do you change between tries?', 'Everything');
  await until(page, () => window.API.cmi.core.score.raw === '33', null, 'score 33');
  assert.equal((await cmi(page)).lesson_status, 'incomplete', 'one question is still unanswered');
  await launch.getByRole('link', { name: /A new opening/ }).locator('xpath=..').getByText('Done').waitFor();

  // Step 3: the last attempt and question: 2 of 3 right = 67 >= 60, practice done.
  await launch.getByRole('button', { name: /^Next/ }).click();
  await heading(content, 'Debrief');
  await content.getByRole('region', { name: 'Practice log' }).getByLabel('Attempt 1 done').check();
  const commitsBefore = await calls(page, 'LMSCommit');
  await answer(content, 'Do you debrief every call?', 'Yes');
  await until(page, () => window.API.cmi.core.lesson_status === 'passed', null, 'status passed');
  await until(page, (n) => window.calls('LMSCommit').length > n, commitsBefore, 'a commit after the change');

  const received = await cmi(page);
  assert.equal(received.score_raw, '67');
  assert.equal(received.score_min, '0');
  assert.equal(received.score_max, '100');
  assert.equal(received.lesson_location, 'exercises/debrief/index.html');
  assert.ok(received.suspend_data.length > 0 && received.suspend_data.length <= 4096);
  assert.match(received.suspend_data, /^[\x20-\x7e]*$/, 'suspend data is ASCII');
  const kept = codec.decodeProgress(track, received.suspend_data);
  assert.deepEqual(
    kept.logs['exercises/opening'].attempts.map((a) => [a.done, a.notes]),
    [[true, 'Too long: cut it to one sentence.'], [true, '']],
  );
  assert.match(kept.logs['exercises/opening'].attempts[0].date, /^\d{4}-\d\d-\d\d$/);
  assert.deepEqual(kept.quiz, { 'exercises/opening': [1, 0], 'exercises/debrief': [0] });
  assert.ok(kept.read['interviews/talk'], 'the interview was opened');
  await launch.getByRole('status').filter({ hasText: 'passed · score 67%' }).waitFor();

  // The learner leaves: one LMSFinish, after an exit and a session time.
  await page.evaluate(() => document.getElementById('sco').remove());
  await until(page, () => window.calls('LMSFinish').length === 1, null, 'LMSFinish');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await calls(page, 'LMSFinish'), 1);
  assert.equal(await calls(page, 'LMSInitialize'), 1);
  const saved = await cmi(page);
  assert.equal(saved.exit, 'suspend');
  assert.match(saved.session_time, /^\d{2,4}:\d\d:\d\d(\.\d{1,2})?$/);
  assert.deepEqual(page.errors, []);
  await context.close();

  // Another machine, a new session from what the LMS kept: it opens where the learner
  // left, and every attempt, note and answer is back.
  const again = await openHost(resumeQuery(saved));
  await heading(again.content, 'Debrief');
  assert.equal(await again.content.getByLabel('Attempt 1 done').isChecked(), true);
  await again.launch.getByRole('link', { name: /A new opening/ }).click();
  await heading(again.content, 'A new opening');
  const log2 = again.content.getByRole('region', { name: 'Practice log' });
  assert.equal(await log2.getByLabel('Attempt 1 done').isChecked(), true);
  assert.equal(await log2.getByLabel('Attempt 2 done').isChecked(), true);
  assert.equal(await log2.getByLabel('Attempt 1 notes').inputValue(), 'Too long: cut it to one sentence.');
  const q1 = again.content.getByRole('group', { name: 'How many tries before you judge?' });
  assert.equal(await q1.getByLabel('Three', { exact: true }).isChecked(), true);
  await q1.getByText('Correct.').waitFor();
  const q2 = again.content.getByRole('group', { name: 'What do you change between tries?' });
  assert.equal(await q2.getByLabel('Everything', { exact: true }).isChecked(), true);
  await q2.getByText('Not quite.').waitFor();
  for (const name of [/A new opening/, /Debrief/]) {
    await again.launch.getByRole('link', { name }).locator('xpath=..').getByText('Done').waitFor();
  }
  await again.launch.getByRole('link', { name: /The Talk/ }).locator('xpath=..').getByText('Opened').waitFor();
  // Nothing changed, so nothing was written back but the place the learner is at.
  const written = await again.page.evaluate(() =>
    window.calls('LMSSetValue').map((c) => c.args[0]).filter((e) => e !== 'cmi.core.lesson_location'));
  assert.deepEqual(written, []);
  assert.equal((await cmi(again.page)).lesson_status, 'passed');
  assert.equal(await calls(again.page, 'LMSInitialize'), 1);
  assert.deepEqual(again.page.errors, []);
  await again.context.close();
  assert.deepEqual(server.missing, [], 'every file the package asked for was in it');
});

test('wrong answers fail the track against its mastery score; right ones then pass it', async () => {
  const { context, page, launch, content } = await openHost();
  await heading(content, 'The habit');
  await launch.getByRole('link', { name: /A new opening/ }).click();
  await heading(content, 'A new opening');
  await content.getByLabel('Attempt 1 done').check();
  await content.getByLabel('Attempt 2 done').check();
  await answer(content, 'How many tries before you judge?', 'One');
  await answer(content, 'What do you change between tries?', 'Everything');
  await launch.getByRole('link', { name: /Debrief/ }).click();
  await heading(content, 'Debrief');
  await content.getByLabel('Attempt 1 done').check();
  await answer(content, 'Do you debrief every call?', 'No');
  await until(page, () => window.API.cmi.core.lesson_status === 'failed', null, 'status failed');
  assert.equal((await cmi(page)).score_raw, '0');
  await launch.getByRole('status').filter({ hasText: 'not passed yet · score 0% (60% passes)' }).waitFor();

  await answer(content, 'Do you debrief every call?', 'Yes');
  await until(page, () => window.API.cmi.core.score.raw === '33', null, 'score 33');
  assert.equal((await cmi(page)).lesson_status, 'failed');
  await launch.getByRole('button', { name: /^Previous/ }).click();
  await heading(content, 'A new opening');
  await answer(content, 'How many tries before you judge?', 'Three');
  await until(page, () => window.API.cmi.core.lesson_status === 'passed', null, 'status passed');
  assert.equal((await cmi(page)).score_raw, '67');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('notes beyond the 4,096 characters of suspend data are shortened, never the attempts', async () => {
  const { context, page, launch, content } = await openHost();
  await heading(content, 'The habit');
  await launch.getByRole('link', { name: /A new opening/ }).click();
  await heading(content, 'A new opening');
  const long = 'Said too much. '.repeat(300); // 4,500 characters
  await content.getByLabel('Attempt 1 done').check();
  await content.getByLabel('Attempt 1 notes').fill(long);
  await content.getByLabel('Attempt 2 notes').fill('Short and whole.');
  await content.getByLabel('Attempt 2 done').check();
  await launch.getByRole('alert').filter({ hasText: 'only their beginning is saved' }).waitFor();
  await until(page, () => /Short and whole/.test(window.API.cmi.suspend_data), null, 'notes saved');
  const received = await cmi(page);
  assert.ok(received.suspend_data.length <= 4096, `${received.suspend_data.length} characters`);
  assert.ok(received.suspend_data.length > 4000, 'the notes fill the room there is');
  const kept = codec.decodeProgress(track, received.suspend_data);
  const attempts = kept.logs['exercises/opening'].attempts;
  assert.deepEqual(attempts.map((a) => a.done), [true, true]);
  assert.ok(long.startsWith(attempts[0].notes) && attempts[0].notes.length > 3900);
  assert.equal(attempts[1].notes, 'Short and whole.');
  // The page itself still has the whole note for this session (and for an export).
  assert.equal(await content.getByLabel('Attempt 1 notes').inputValue(), long);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a spaced review is kept in suspend data at the limit, and comes back in a new session', async () => {
  const now = new Date(2026, 2, 2, 12, 0, 0);
  const { context, page, launch, content } = await openHost('', now);
  await heading(content, 'The habit');
  await launch.getByRole('link', { name: /A new opening/ }).click();
  await heading(content, 'A new opening');
  const long = 'Said too much. '.repeat(300); // 4,500 characters: the notes must be cut
  await content.getByLabel('Attempt 1 done').check();
  await content.getByLabel('Attempt 2 done').check();
  await content.getByLabel('Attempt 1 notes').fill(long);
  await content.getByLabel('Attempt 1 notes').blur();
  await content.getByLabel('Review 1 notes').fill('Review kept.');
  await content.getByLabel('Review 1 notes').blur();
  await content.getByLabel('Review 1 done').check();
  await until(page, () => /Review kept/.test(window.API.cmi.suspend_data), null, 'the review saved');
  const saved = await cmi(page);
  assert.ok(saved.suspend_data.length <= 4096 && saved.suspend_data.length > 4000, `${saved.suspend_data.length}`);
  const kept = codec.decodeProgress(track, saved.suspend_data).logs['exercises/opening'];
  assert.deepEqual(kept.reviews[0], { done: true, date: '2026-03-02', notes: 'Review kept.' });
  assert.deepEqual(kept.reviews.slice(1).map((r) => r.done), [false, false]);
  assert.ok(long.startsWith(kept.attempts[0].notes) && kept.attempts[0].notes.length > 3800);
  await context.close();

  const again = await openHost(resumeQuery(saved), now);
  await heading(again.content, 'A new opening');
  assert.equal(await again.content.getByLabel('Review 1 done').isChecked(), true);
  assert.equal(await again.content.getByLabel('Review 1 notes').inputValue(), 'Review kept.');
  assert.equal(await again.content.locator('[data-review-next]').textContent(), 'Next review: 7 March 2026 (review 2 of 3).');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.page.errors, []);
  await again.context.close();
});

test('the launch page finds the API through window.opener when the LMS opens it in a window', async () => {
  const context = await browser.newContext();
  const page = await newPage(context, server.origin);
  const popupOpened = context.waitForEvent('page');
  await page.goto(`${server.origin}/host.html?popup=1`);
  const popup = await popupOpened;
  await popup.frameLocator('#sb-lms-frame').getByRole('heading', { level: 1, name: 'The habit' }).waitFor();
  assert.equal(await calls(page, 'LMSInitialize'), 1);
  await popup.close();
  await until(page, () => window.calls('LMSFinish').length === 1, null, 'LMSFinish');
  assert.equal((await cmi(page)).exit, 'suspend');
  await context.close();
});

test('outside an LMS the package works as the site does, with localStorage', async () => {
  const context = await browser.newContext();
  const page = await newPage(context, server.origin);
  await page.goto(`${server.origin}/pkg/index.html`);
  const content = page.frameLocator('#sb-lms-frame');
  await heading(content, 'The habit');
  await page.getByRole('status').filter({ hasText: 'Not connected to a learning platform' }).waitFor();
  await page.getByRole('link', { name: /A new opening/ }).click();
  await heading(content, 'A new opening');
  await content.getByLabel('Attempt 1 done').check();
  const stored = await page.evaluate(() => localStorage.getItem('salesbook:practice:lms-lab:exercises/opening'));
  assert.equal(JSON.parse(stored).attempts[0].done, true);
  await page.getByRole('link', { name: /A new opening/ }).locator('xpath=..').getByText('1 of 2 attempts').waitFor();
  await page.reload();
  await page.getByRole('link', { name: /A new opening/ }).locator('xpath=..').getByText('1 of 2 attempts').waitFor();
  const violations = await axe(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a session whose status lags behind its suspend data brings the LMS up to date at once', async () => {
  const state = { logs: {}, read: { 'interviews/talk': '2026-03-01' }, quiz: {} };
  state.logs['exercises/opening'] = { attempts: [{ done: true, date: '2026-03-02', notes: '' }, { done: true, date: '2026-03-03', notes: '' }] };
  state.logs['exercises/debrief'] = { attempts: [{ done: true, date: '2026-03-04', notes: 'Fine.' }] };
  state.quiz = { 'exercises/opening': [1, 1], 'exercises/debrief': [1] };
  const suspend = codec.encodeProgress(track, state).text;
  const query = `?cmi=${encodeURIComponent(JSON.stringify({ core: { lesson_status: 'incomplete', entry: 'resume' }, suspend_data: suspend }))}`;
  const { context, page, content } = await openHost(query);
  await heading(content, 'The habit');
  await until(page, () => window.API.cmi.core.lesson_status === 'passed', null, 'status passed');
  assert.equal((await cmi(page)).score_raw, '67');
  assert.equal((await cmi(page)).suspend_data, suspend, 'the suspend data is kept as it was');
  await context.close();
});

test('in all of the above, the package never asked for a file it lacks', () => {
  assert.deepEqual(server.missing, []);
});
