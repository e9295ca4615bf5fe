// Quiz questions with several right answers, a track's quiz score, the LMS score that
// uses the same numbers, and the certificate of completion, in headless Chromium:
// a partial selection is wrong and the full set right, answers come back on reload,
// "Show answer" without JavaScript lists every right answer, the track page counts
// every question of its exercises ("2 of 3 right"), the SCORM package reports the same
// score, and a finished track offers a certificate that prints on one page (A4 and
// Letter), is absent without JavaScript and has no axe violation.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { buildSite, serveStatic, launchChromium, newPage, axe } = require('./learner_helpers.cjs');
const { RUNTIME, unpack, serveLms, until } = require('./lms_helpers.cjs');
const codec = require(RUNTIME);

/** A track of two exercises with a quiz (3 questions, one with several answers) and
 *  one without. */
const QUIZ_SITE = {
  'site.yaml': 'title: Quiz Lab\nlanguage: en\nextra:\n  practice_key: quiz-lab\n',
  'content/_index.md': '---\ntitle: Quiz Lab\n---\nWelcome.\n',
  'content/exercises/notes.md': [
    '---',
    'title: Notes after a try',
    'attempts: 2',
    'quiz:',
    '  - question: How many tries before you judge?',
    "    choices: ['One', 'Three']",
    "    answer: 'Three'",
    '  - question: What belongs in your notes?',
    '    choices:',
    '      - What happened',
    '      - Your verdict',
    '      - One thing to change',
    '    answer:',
    '      - What happened',
    '      - One thing to change',
    '    explain: Save the verdict for the last try.',
    '---',
    'Write them down.',
    '',
  ].join('\n'),
  'content/exercises/debrief.md': [
    '---',
    'title: Debrief',
    'attempts: 1',
    'quiz:',
    '  - question: Which calls are worth a debrief?',
    '    choices: [Bad calls, Good calls, None]',
    '    answer: [Bad calls, Good calls]',
    '---',
    'Ask yourself four questions.',
    '',
  ].join('\n'),
  'content/exercises/warm-up.md': '---\ntitle: Warm-up\nattempts: 1\n---\nStretch.\n',
  'content/tracks/habit.md': [
    '---',
    'title: The habit',
    'summary: Practise, then check yourself.',
    'items:',
    '  - exercises/notes',
    '  - exercises/debrief',
    '  - exercises/warm-up',
    '---',
    'In order.',
    '',
  ].join('\n'),
};

let site;
let server;
let browser;
let lmsSite;
let packageDir;
let lmsServer;

before(async () => {
  site = buildSite(QUIZ_SITE);
  server = await serveStatic(site.out, '/lab/');
  lmsSite = buildSite(QUIZ_SITE, ['--lms', 'scorm12']);
  packageDir = unpack(lmsSite.out, 'habit');
  lmsServer = await serveLms(packageDir);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (lmsServer) await lmsServer.close();
  if (site) site.remove();
  if (lmsSite) lmsSite.remove();
  if (packageDir) fs.rmSync(packageDir, { recursive: true, force: true });
});

async function open(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await newPage(context, new URL(url).origin);
  await page.goto(url);
  return { context, page };
}

function question(page, name) {
  return page.getByRole('group', { name });
}

/** Ticks exactly `choices` of a question (unticking the others) and checks it. */
async function answer(scope, name, choices) {
  const group = scope.getByRole('group', { name });
  const boxes = group.locator('input');
  for (let i = 0; i < await boxes.count(); i++) {
    const box = boxes.nth(i);
    const label = await group.locator(`label[for="${await box.getAttribute('id')}"]`).textContent();
    if (choices.includes(label)) await box.check();
    else if ((await box.getAttribute('type')) === 'checkbox') await box.uncheck();
  }
  await group.getByRole('button', { name: 'Check answer' }).click();
}

async function tickAll(page, slug, attempts) {
  await page.goto(server.url + `exercises/${slug}/`);
  for (let n = 1; n <= attempts; n++) {
    await page.getByRole('checkbox', { name: `Attempt ${n} done` }).check();
  }
}

/** The number of pages of a PDF as Chromium writes it. */
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

test('a question with several answers is right only with exactly the right boxes ticked', async () => {
  const { context, page } = await open(server.url + 'exercises/notes/');
  const q = question(page, /What belongs in your notes\?/);
  assert.equal(await q.getByRole('checkbox').count(), 3);
  assert.equal(await q.getByRole('radio').count(), 0);
  assert.match(await q.locator('legend').textContent(), /Select all that apply\./);
  const feedback = q.getByRole('status');
  const check = q.getByRole('button', { name: 'Check answer' });

  await check.click();
  assert.equal(await feedback.textContent(), 'Tick at least one answer first.');
  // One right answer of two: not yet right.
  await q.getByRole('checkbox', { name: 'What happened' }).check();
  await check.click();
  assert.match(await feedback.textContent(), /^Not quite: tick every right answer and no other\./);
  assert.equal(await q.locator('details.quiz-answer').evaluate((d) => d.open), false);
  // Both right answers and a wrong one: still not right.
  await q.getByRole('checkbox', { name: 'One thing to change' }).check();
  await q.getByRole('checkbox', { name: 'Your verdict' }).check();
  await check.click();
  assert.match(await feedback.textContent(), /^Not quite/);
  // Exactly the right ones.
  await q.getByRole('checkbox', { name: 'Your verdict' }).uncheck();
  assert.equal(await feedback.textContent(), '', 'a change clears the verdict');
  await check.click();
  assert.equal(await feedback.textContent(), 'Correct. Save the verdict for the last try.');
  assert.equal(await page.locator('[data-quiz-score]').textContent(), '1 of 2 right');

  // Remembered on reload, with its verdict.
  await page.reload();
  assert.equal(await q.getByRole('checkbox', { name: 'What happened' }).isChecked(), true);
  assert.equal(await q.getByRole('checkbox', { name: 'Your verdict' }).isChecked(), false);
  assert.equal(await q.getByRole('checkbox', { name: 'One thing to change' }).isChecked(), true);
  assert.equal(await q.getByRole('status').textContent(), 'Correct. Save the verdict for the last try.');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('salesbook:quiz:quiz-lab:exercises/notes')));
  assert.deepEqual(stored, { 2: { choice: [0, 2], right: true } });

  // A wrong set is remembered as wrong.
  await answer(page, /What belongs in your notes\?/, ['Your verdict']);
  await page.reload();
  assert.equal(await q.getByRole('checkbox', { name: 'Your verdict' }).isChecked(), true);
  assert.equal(await q.getByRole('checkbox', { name: 'What happened' }).isChecked(), false);
  assert.match(await q.getByRole('status').textContent(), /^Not quite/);
  assert.equal(await page.locator('[data-quiz-score]').textContent(), '0 of 2 right');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('without JavaScript, "Show answer" lists every right answer', async () => {
  const { context, page } = await open(server.url + 'exercises/notes/', { javaScriptEnabled: false });
  const q = question(page, /What belongs in your notes\?/);
  await q.getByText('Show answer').click();
  const reveal = q.locator('details.quiz-answer');
  assert.deepEqual(await reveal.locator('li').allTextContents(), ['What happened', 'One thing to change']);
  assert.match(await reveal.innerText(), /Answers:/);
  assert.match(await reveal.innerText(), /Save the verdict for the last try\./);
  await context.close();
});

test('a track shows the quiz score across its exercises, unanswered questions counted wrong', async () => {
  const { context, page } = await open(server.url + 'tracks/habit/');
  const score = page.locator('[data-track-quiz-score]');
  assert.equal(await score.isVisible(), false, 'no score before an answer');
  await page.goto(server.url + 'exercises/notes/');
  await answer(page, 'How many tries before you judge?', ['Three']);
  await page.goto(server.url + 'tracks/habit/');
  assert.equal(await score.textContent(), 'Quiz score: 1 of 3 right');
  await page.goto(server.url + 'exercises/debrief/');
  await answer(page, /Which calls are worth a debrief\?/, ['Bad calls']);
  await page.goto(server.url + 'tracks/habit/');
  assert.equal(await score.textContent(), 'Quiz score: 1 of 3 right', 'a partial set is wrong');
  await page.goto(server.url + 'exercises/debrief/');
  await answer(page, /Which calls are worth a debrief\?/, ['Bad calls', 'Good calls']);
  await page.goto(server.url + 'tracks/habit/');
  assert.equal(await score.textContent(), 'Quiz score: 2 of 3 right');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the certificate appears only when every exercise is done, keeps the name and prints on one page', async () => {
  const { context, page } = await open(server.url + 'tracks/habit/');
  const offer = page.getByRole('region', { name: 'Your certificate' });
  assert.equal(await offer.count(), 0, 'hidden before any practice');
  await tickAll(page, 'notes', 2);
  await tickAll(page, 'debrief', 1);
  await page.goto(server.url + 'tracks/habit/');
  assert.equal(await offer.count(), 0, 'hidden with one exercise left');
  await tickAll(page, 'warm-up', 1);
  await page.goto(server.url + 'tracks/habit/');
  await offer.waitFor();

  const sheet = offer.locator('.certificate');
  assert.equal(await sheet.locator('[data-certificate-name]').textContent(), '(your name)');
  await offer.getByRole('textbox', { name: 'Your name' }).fill('Robin Seller');
  assert.equal(await sheet.locator('[data-certificate-name]').textContent(), 'Robin Seller');
  assert.equal(await sheet.locator('.certificate-track').textContent(), 'The habit');
  assert.deepEqual(await sheet.locator('.certificate-exercises li').allInnerTexts(), [
    'Notes after a try — 2 attempts done',
    'Debrief — 1 attempt done',
    'Warm-up — 1 attempt done',
  ]);
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  assert.equal(await sheet.locator('[data-certificate-date] time').getAttribute('datetime'), today);
  assert.match(await sheet.innerText(), /Self-reported\./);
  assert.equal(await sheet.locator('[data-certificate-quiz]').isVisible(), false, 'no quiz answered yet');

  // The name is kept in this browser.
  await page.reload();
  await offer.waitFor();
  assert.equal(await offer.getByRole('textbox', { name: 'Your name' }).inputValue(), 'Robin Seller');
  assert.equal(await sheet.locator('[data-certificate-name]').textContent(), 'Robin Seller');

  // "Print certificate" prints the certificate alone, on one page of A4 or Letter.
  // Printing ends with "afterprint", which puts the page back: print again each time.
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  for (const format of ['A4', 'Letter']) {
    await page.emulateMedia({ media: 'screen' });
    await offer.getByRole('button', { name: 'Print certificate' }).click();
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.site-header', '.track-path', '.entry-header', '.certificate-name-field', '#sb-certificate']) {
      assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} is not printed`);
    }
    assert.equal(await sheet.isVisible(), true);
    assert.equal(pdfPages(await page.pdf({ format })), 1, `one ${format} page`);
    assert.equal(await sheet.isVisible(), false, 'after printing, the page prints as a track again');
  }
  assert.equal(await page.evaluate(() => window.printed), 2);
  // Printing the track page from the browser's menu leaves the certificate out.
  assert.equal(await sheet.isVisible(), false);
  assert.equal(await page.locator('.track-path').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(page.errors, []);

  // Without JavaScript there is no log to read, so no certificate.
  const state = await context.storageState();
  const plain = await open(server.url + 'tracks/habit/', { javaScriptEnabled: false, storageState: state });
  assert.equal(await plain.page.getByRole('region', { name: 'Your certificate' }).count(), 0);
  await plain.context.close();
  await context.close();
});

test('a long track still prints its certificate on one page', async () => {
  const files = { ...QUIZ_SITE };
  const items = [];
  for (let i = 1; i <= 12; i++) {
    files[`content/exercises/step-${i}.md`] = `---\ntitle: A practice step with a longer title, number ${i}\nattempts: 1\n---\nGo.\n`;
    items.push(`  - exercises/step-${i}`);
  }
  files['content/tracks/long.md'] = `---\ntitle: A long track\nitems:\n${items.join('\n')}\n---\nMany steps.\n`;
  const long = buildSite(files);
  const longServer = await serveStatic(long.out, '/lab/');
  const { context, page } = await open(longServer.url);
  try {
    await page.evaluate(() => {
      for (let i = 1; i <= 12; i++) {
        localStorage.setItem(`salesbook:practice:quiz-lab:exercises/step-${i}`,
          JSON.stringify({ attempts: [{ done: true, date: '2026-03-0' + (1 + (i % 9)), notes: '' }] }));
      }
    });
    await page.goto(longServer.url + 'tracks/long/');
    const offer = page.getByRole('region', { name: 'Your certificate' });
    await offer.waitFor();
    await offer.getByRole('textbox', { name: 'Your name' }).fill('Maximiliane Alexandra von Lengthy-Surname');
    assert.equal(await offer.locator('[data-certificate-date] time').getAttribute('datetime'), '2026-03-09', 'the day of the last attempt');
    await page.evaluate(() => { window.print = () => {}; });
    for (const format of ['A4', 'Letter']) {
      await page.emulateMedia({ media: 'screen' });
      await offer.getByRole('button', { name: 'Print certificate' }).click();
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.track-path').isVisible(), false);
      assert.equal(pdfPages(await page.pdf({ format })), 1, `one ${format} page`);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await longServer.close();
    long.remove();
  }
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [390, 1280]) {
    test(`axe: no WCAG 2.1 AA violation in ${colorScheme} mode at ${width} px, with check-boxes, score and certificate`, async () => {
      const { context, page } = await open(server.url, { colorScheme, viewport: { width, height: 900 } });
      await page.goto(server.url + 'exercises/notes/');
      await answer(page, 'How many tries before you judge?', ['Three']);
      await answer(page, /What belongs in your notes\?/, ['What happened']);
      const problems = {};
      const check = async (name) => {
        const violations = await axe(page);
        if (violations.length) problems[name] = violations;
      };
      await check('exercise with a wrong multi-answer');
      await tickAll(page, 'notes', 2);
      await tickAll(page, 'debrief', 1);
      await tickAll(page, 'warm-up', 1);
      await page.goto(server.url + 'tracks/habit/');
      await page.getByRole('region', { name: 'Your certificate' }).waitFor();
      await page.getByRole('textbox', { name: 'Your name' }).fill('Robin Seller');
      assert.equal(await page.locator('[data-track-quiz-score]').textContent(), 'Quiz score: 1 of 3 right');
      await check('track with certificate');
      assert.deepEqual(problems, {}, JSON.stringify(problems, null, 2));
      assert.deepEqual(page.errors, []);
      await context.close();
    });
  }
}

// The LMS: the launch page reports cmi.core.score.raw from the same numbers the track
// page shows, and the ticked boxes of a multi-answer question survive a new session.

async function openHost(query = '') {
  const context = await browser.newContext();
  const page = await newPage(context, lmsServer.origin);
  await page.goto(`${lmsServer.origin}/host.html${query}`);
  const launch = page.frameLocator('#sco');
  const content = launch.frameLocator('#sb-lms-frame');
  return { context, page, launch, content };
}

async function heading(content, name) {
  await content.getByRole('heading', { level: 1, name }).waitFor();
  await content.locator('html').evaluate(() => document.readyState === 'complete'
    || new Promise((loaded) => window.addEventListener('load', () => loaded(true), { once: true })));
}

test('in an LMS, the score reported is the track page\'s quiz score, multi-answers included', async () => {
  const launchHtml = fs.readFileSync(`${packageDir}/index.html`, 'utf8');
  const track = JSON.parse(/<script type="application\/json" id="sb-lms-data">([^<]*)<\/script>/.exec(launchHtml)[1]);
  assert.deepEqual(track.steps.map((s) => s.quiz), [[1, [0, 2]], [[0, 1]], undefined]);

  const { context, page, launch, content } = await openHost();
  await heading(content, 'The habit');
  await launch.getByRole('link', { name: /Notes after a try/ }).click();
  await heading(content, 'Notes after a try');
  await answer(content, 'How many tries before you judge?', ['Three']);
  await answer(content, /What belongs in your notes\?/, ['What happened']);
  await until(page, () => window.API.cmi.core.score.raw === '33', null, 'score 33 (1 of 3)');
  await answer(content, /What belongs in your notes\?/, ['What happened', 'One thing to change']);
  await until(page, () => window.API.cmi.core.score.raw === '67', null, 'score 67 (2 of 3)');
  await launch.getByRole('link', { name: /Debrief/ }).click();
  await heading(content, 'Debrief');
  await answer(content, /Which calls are worth a debrief\?/, ['Bad calls', 'None']);
  await until(page, () => window.API.cmi.suspend_data.includes('(02)'), null, 'the ticked boxes in suspend data');
  assert.equal(await page.evaluate(() => window.API.cmi.core.score.raw), '67', 'a wrong set scores nothing');

  // The track page (the package's overview) shows the same numbers.
  await launch.getByRole('link', { name: 'Overview' }).click();
  await heading(content, 'The habit');
  assert.equal(await content.locator('[data-track-quiz-score]').textContent(), 'Quiz score: 2 of 3 right');
  const saved = await page.evaluate(() => ({ suspend: window.API.cmi.suspend_data, score: window.API.cmi.core.score.raw }));
  const kept = codec.decodeProgress(track, saved.suspend);
  assert.deepEqual(kept.quiz, { 'exercises/notes': [1, [0, 2]], 'exercises/debrief': [[0, 2]] });
  assert.equal(String(codec.assess(track, kept, null).score), saved.score);
  assert.deepEqual(page.errors, []);
  await context.close();

  // A new session from the suspend data: the track page scores every exercise at once,
  // and the boxes come back ticked.
  const cmi = { core: { lesson_status: 'incomplete', entry: 'resume', score: { raw: saved.score } }, suspend_data: saved.suspend };
  const again = await openHost(`?cmi=${encodeURIComponent(JSON.stringify(cmi))}`);
  await heading(again.content, 'The habit');
  assert.equal(await again.content.locator('[data-track-quiz-score]').textContent(), 'Quiz score: 2 of 3 right');
  await again.launch.getByRole('link', { name: /Debrief/ }).click();
  await heading(again.content, 'Debrief');
  const q = again.content.getByRole('group', { name: /Which calls are worth a debrief\?/ });
  assert.equal(await q.getByRole('checkbox', { name: 'Bad calls' }).isChecked(), true);
  assert.equal(await q.getByRole('checkbox', { name: 'Good calls' }).isChecked(), false);
  assert.equal(await q.getByRole('checkbox', { name: 'None' }).isChecked(), true);
  await q.getByText('Not quite').waitFor();
  assert.deepEqual(again.page.errors, []);
  await again.context.close();
  assert.deepEqual(lmsServer.missing, []);
});
