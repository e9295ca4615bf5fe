// The LMS runtime's suspend data codec and scoring, in node (no browser): what the
// package writes to cmi.suspend_data stays within SCORM 1.2's 4,096 characters,
// exactly at the limit too, is ASCII, and reads back; the longest it can be without
// notes is what the build computed; status and score follow the rules of docs/lms.md
// ("What the LMS receives").
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { RUNTIME, buildPackages, unpack } = require('./lms_helpers.cjs');
const codec = require(RUNTIME);

/** A track of the shape the launch page carries. */
const TRACK = {
  steps: [
    { ref: 'interviews/talk', kind: 'interview', path: 'interviews/talk/index.html' },
    { ref: 'exercises/opening', kind: 'exercise', path: 'exercises/opening/index.html', attempts: 2, quiz: [1, 1] },
    { ref: 'exercises/debrief', kind: 'exercise', path: 'exercises/debrief/index.html', attempts: 3 },
  ],
};

function empty() {
  return { logs: {}, read: {}, quiz: {} };
}

function attempt(done, notes = '', date = '2026-03-04') {
  return { done, date: done ? date : null, notes };
}

let site;
let packageDir;

before(() => {
  site = buildPackages();
  packageDir = unpack(site.out, 'habit');
});

after(() => {
  if (site) site.remove();
  if (packageDir) fs.rmSync(packageDir, { recursive: true, force: true });
});

test('a state survives the round trip through suspend data', () => {
  const state = empty();
  state.logs['exercises/opening'] = { attempts: [attempt(true, 'Too long.'), attempt(false, 'Next: shorter')] };
  state.logs['exercises/debrief'] = { attempts: [attempt(true, '', '2026-12-31'), attempt(false), attempt(true, 'ok', '1999-01-01')] };
  state.read['interviews/talk'] = '2026-03-01';
  state.quiz['exercises/opening'] = [0, null];
  // Logs of pages outside the track are not the track's business.
  state.logs['exercises/elsewhere'] = { attempts: [attempt(true)] };
  const { text, truncated } = codec.encodeProgress(TRACK, state);
  assert.equal(truncated, false);
  assert.equal(
    text,
    // 2026-03-04 is day 20516 since 1970-01-01: "ftw" in base 36.
    '{"v":2,"a":{"exercises/opening":"ftw","exercises/debrief":"g2a---868"},"q":{"exercises/opening":"0"},' +
      '"r":{"interviews/talk":"ftt"},"n":{"exercises/opening":["Too long.","Next: shorter"],"exercises/debrief":["","","ok"]}}',
  );
  const back = codec.decodeProgress(TRACK, text);
  delete state.logs['exercises/elsewhere'];
  assert.deepEqual(back, state);
});

test('suspend data is ASCII: other characters are \\u escapes that read back', () => {
  const state = empty();
  const notes = 'Zu früh aufgelegt — nächstes Mal: 😀 "Zitat" \\ neue Zeile\nEnde';
  state.logs['exercises/opening'] = { attempts: [attempt(true, notes)] };
  const { text } = codec.encodeProgress(TRACK, state);
  assert.match(text, /^[\x20-\x7e]*$/);
  assert.equal(codec.decodeProgress(TRACK, text).logs['exercises/opening'].attempts[0].notes, notes);
});

test('at exactly 4,096 characters nothing is cut; one more and notes are cut, as little as possible', () => {
  const state = empty();
  state.logs['exercises/opening'] = { attempts: [attempt(true, ''), attempt(true, 'short note')] };
  state.logs['exercises/debrief'] = { attempts: [attempt(true, ''), attempt(true, ''), attempt(true, '')] };
  state.quiz['exercises/opening'] = [1, 1];
  // Two long notes that bring the encoding to exactly 4,096 characters.
  state.logs['exercises/opening'].attempts[0].notes = 'a'.repeat(1500);
  state.logs['exercises/debrief'].attempts[1].notes = 'b';
  const length = codec.encodeProgress(TRACK, state).text.length;
  state.logs['exercises/debrief'].attempts[1].notes += 'b'.repeat(4096 - length);
  let result = codec.encodeProgress(TRACK, state);
  assert.equal(result.text.length, 4096, 'the fixture is at the limit');
  assert.equal(result.truncated, false);
  assert.deepEqual(codec.decodeProgress(TRACK, result.text), state);

  state.logs['exercises/debrief'].attempts[1].notes += 'b';
  result = codec.encodeProgress(TRACK, state);
  assert.equal(result.truncated, true);
  assert.ok(result.text.length <= 4096, `${result.text.length}`);
  const back = codec.decodeProgress(TRACK, result.text);
  const cutA = back.logs['exercises/opening'].attempts[0].notes;
  const cutB = back.logs['exercises/debrief'].attempts[1].notes;
  assert.equal(back.logs['exercises/opening'].attempts[1].notes, 'short note', 'short notes stay whole');
  assert.ok(state.logs['exercises/opening'].attempts[0].notes.startsWith(cutA));
  assert.ok(state.logs['exercises/debrief'].attempts[1].notes.startsWith(cutB));
  // Every attempt, date and answer is kept whatever the notes.
  assert.deepEqual(
    back.logs['exercises/debrief'].attempts.map((a) => [a.done, a.date]),
    state.logs['exercises/debrief'].attempts.map((a) => [a.done, a.date]),
  );
  assert.deepEqual(back.quiz, state.quiz);
  // As little as possible: one character more for the notes that were cut would not fit.
  const cap = Math.max(cutA.length, cutB.length);
  const more = JSON.parse(JSON.stringify(state));
  for (const a of [more.logs['exercises/opening'].attempts[0], more.logs['exercises/debrief'].attempts[1]]) {
    a.notes = a.notes.slice(0, cap + 1);
  }
  assert.ok(codec.encodeProgress(TRACK, more, 1e9).text.length > 4096);
});

test('huge notes everywhere still leave every attempt, answer and visit, within the limit', () => {
  const state = empty();
  const huge = 'x'.repeat(100000);
  state.logs['exercises/opening'] = { attempts: [attempt(true, huge), attempt(true, huge)] };
  state.logs['exercises/debrief'] = { attempts: [attempt(true, huge), attempt(false, huge), attempt(true, '😀'.repeat(5000))] };
  state.read['interviews/talk'] = '2026-03-01';
  state.quiz['exercises/opening'] = [1, 0];
  const { text, truncated } = codec.encodeProgress(TRACK, state);
  assert.equal(truncated, true);
  assert.ok(text.length <= 4096 && text.length > 4000, `${text.length}`);
  const back = codec.decodeProgress(TRACK, text);
  assert.deepEqual(back.logs['exercises/debrief'].attempts.map((a) => a.done), [true, false, true]);
  assert.deepEqual(back.quiz, state.quiz);
  assert.equal(back.read['interviews/talk'], '2026-03-01');
  for (const a of back.logs['exercises/debrief'].attempts) {
    assert.doesNotMatch(a.notes, /[\ud800-\udbff]$/, 'no half of a surrogate pair');
  }
});

test("the longest suspend data without notes is what the build checked for the track", () => {
  const html = fs.readFileSync(`${packageDir}/index.html`, 'utf8');
  const track = JSON.parse(/id="sb-lms-data">([^<]*)<\/script>/.exec(html)[1]);
  const state = empty();
  for (const step of track.steps) {
    if (step.kind === 'exercise') {
      state.logs[step.ref] = { attempts: Array.from({ length: step.attempts }, () => attempt(true)) };
      if (step.reviews) state.logs[step.ref].reviews = Array.from({ length: step.reviews }, () => attempt(true));
      if (step.quiz) state.quiz[step.ref] = step.quiz.map(() => 35);
    } else {
      state.read[step.ref] = '2099-12-31';
    }
  }
  const { text } = codec.encodeProgress(track, state);
  assert.equal(text.length, track.suspend_data_worst_case);
  assert.equal(track.suspend_data_limit, 4096);
});

test('unreadable suspend data is refused, not misread', () => {
  assert.deepEqual(codec.decodeProgress(TRACK, ''), empty());
  assert.equal(codec.decodeProgress(TRACK, 'not json'), null);
  assert.equal(codec.decodeProgress(TRACK, '{"v":3,"a":{}}'), null);
  assert.equal(codec.decodeProgress(TRACK, '[1]'), null);
  // Damaged parts are skipped.
  const back = codec.decodeProgress(TRACK, '{"v":1,"a":{"exercises/opening":7},"r":[],"q":{"exercises/opening":"1"}}');
  assert.deepEqual(back.logs, {});
  assert.deepEqual(back.quiz, { 'exercises/opening': [1, null] });
});

test('days are kept in three characters', () => {
  assert.equal(codec.dayCode('1970-01-01'), '000');
  assert.equal(codec.dayFromCode(codec.dayCode('2026-03-04')), '2026-03-04');
  assert.equal(codec.dayFromCode('zzz'), '2097-09-26', 'the last day three characters hold');
  assert.equal(codec.dayCode('2097-09-26'), 'zzz');
  assert.equal(codec.dayCode('2097-09-27'), null);
  assert.equal(codec.dayCode('soon'), null);
  const state = empty();
  state.logs['exercises/debrief'] = { attempts: [{ done: true, date: null, notes: '' }] };
  const { text } = codec.encodeProgress(TRACK, state);
  assert.match(text, /"\*\*\*"/);
  assert.deepEqual(codec.decodeProgress(TRACK, text).logs['exercises/debrief'].attempts[0], { done: true, date: null, notes: '' });
});

test('status and score: completion from the practice, pass or fail from the quiz', () => {
  const state = empty();
  const status = (mastery) => codec.assess(TRACK, state, mastery);
  assert.equal(status(null).status, 'incomplete');
  assert.equal(status(null).score, null);
  state.logs['exercises/opening'] = { attempts: [attempt(true), attempt(true)] };
  state.logs['exercises/debrief'] = { attempts: [attempt(true), attempt(true), attempt(true)] };
  assert.equal(status(null).status, 'completed');
  assert.equal(status(80).status, 'incomplete', 'the quiz is not answered yet');
  state.quiz['exercises/opening'] = [1, null];
  assert.equal(status(80).score, 50);
  assert.equal(status(80).status, 'incomplete');
  state.quiz['exercises/opening'] = [1, 0];
  assert.equal(status(80).status, 'failed');
  assert.equal(status(50).status, 'passed');
  state.logs['exercises/debrief'].attempts[2].done = false;
  assert.equal(status(50).status, 'incomplete', 'passing needs the practice done too');
  assert.equal(status(null).status, 'incomplete');
  // A track without a quiz scores the attempts done.
  const noQuiz = { steps: TRACK.steps.map((s) => ({ ...s, quiz: undefined })) };
  assert.equal(codec.assess(noQuiz, state, null).score, 80);
  // Reported completion is not taken back.
  assert.equal(codec.latch('completed', 'incomplete'), 'completed');
  assert.equal(codec.latch('passed', 'failed'), 'passed');
  assert.equal(codec.latch('failed', 'passed'), 'passed');
  assert.equal(codec.latch('incomplete', 'completed'), 'completed');
});

test('session time is a SCORM 1.2 timespan', () => {
  assert.equal(codec.timespan(0), '00:00:00.00');
  assert.equal(codec.timespan(3723456), '01:02:03.46');
  assert.equal(codec.timespan(100 * 3600 * 1000), '100:00:00.00');
});

/* Spaced reviews (format version 2): each review's day in "w", its notes in "m". */
const REVIEWED = {
  steps: TRACK.steps.map((s) => (s.kind === 'exercise' ? { ...s, reviews: 3 } : s)),
};

test('reviews survive the round trip; version 1 data still reads', () => {
  const state = empty();
  state.logs['exercises/opening'] = {
    attempts: [attempt(true, 'one'), attempt(true)],
    reviews: [attempt(true, 'Still works.', '2026-03-06'), attempt(true, '', '2026-03-11'), attempt(false)],
  };
  const { text } = codec.encodeProgress(REVIEWED, state);
  assert.equal(
    text,
    '{"v":2,"a":{"exercises/opening":"ftwftw"},"w":{"exercises/opening":"ftyfu3"},' +
      '"n":{"exercises/opening":["one"]},"m":{"exercises/opening":["Still works."]}}',
  );
  const back = codec.decodeProgress(REVIEWED, text);
  assert.deepEqual(back.logs['exercises/opening'].reviews, state.logs['exercises/opening'].reviews);
  assert.equal(back.logs['exercises/opening'].attempts[0].notes, 'one');
  // What a version 1 runtime wrote reads the same, with no reviews.
  const v1 = '{"v":1,"a":{"exercises/opening":"ftwftw"},"n":{"exercises/opening":["one"]}}';
  const old = codec.decodeProgress(REVIEWED, v1);
  assert.deepEqual(old.logs['exercises/opening'].attempts.map((a) => a.done), [true, true]);
  assert.equal(old.logs['exercises/opening'].reviews, undefined);
});

test('with reviews, at exactly 4,096 characters nothing is cut; one more cuts notes, never a review', () => {
  const state = empty();
  const reviews = () => [attempt(true, '', '2026-03-06'), attempt(true, '', '2026-03-11'), attempt(true, '', '2026-03-25')];
  state.logs['exercises/opening'] = { attempts: [attempt(true), attempt(true)], reviews: reviews() };
  state.logs['exercises/debrief'] = { attempts: [attempt(true), attempt(true), attempt(true)], reviews: reviews() };
  state.read['interviews/talk'] = '2026-03-01';
  state.quiz['exercises/opening'] = [1, 1];
  state.logs['exercises/opening'].attempts[0].notes = 'a'.repeat(1500);
  state.logs['exercises/debrief'].reviews[2].notes = 'r';
  const length = codec.encodeProgress(REVIEWED, state).text.length;
  state.logs['exercises/debrief'].reviews[2].notes += 'r'.repeat(4096 - length);
  let result = codec.encodeProgress(REVIEWED, state);
  assert.equal(result.text.length, 4096, 'the fixture is at the limit');
  assert.equal(result.truncated, false);
  assert.deepEqual(codec.decodeProgress(REVIEWED, result.text), state);

  state.logs['exercises/debrief'].reviews[2].notes += 'r';
  result = codec.encodeProgress(REVIEWED, state);
  assert.equal(result.truncated, true);
  assert.ok(result.text.length <= 4096 && result.text.length >= 4094, `${result.text.length}`);
  const back = codec.decodeProgress(REVIEWED, result.text);
  const cut = back.logs['exercises/debrief'].reviews[2].notes;
  assert.ok(state.logs['exercises/debrief'].reviews[2].notes.startsWith(cut));
  assert.ok(cut.length >= 2000, 'the longest note is cut, not emptied');
  for (const ref of ['exercises/opening', 'exercises/debrief']) {
    assert.deepEqual(
      back.logs[ref].reviews.map((r) => [r.done, r.date]),
      state.logs[ref].reviews.map((r) => [r.done, r.date]),
      'every review and its day is kept whatever the notes',
    );
  }
});
