// Helpers for the LMS package tests (lms_*.test.cjs): a fixture site built with
// `--lms scorm12`, a small ZIP reader, and a static server that plays the LMS: it
// serves an unzipped package under /pkg/ (exact files only, no folder indexes, as
// an LMS's content server may), scorm-again's SCORM 1.2 run-time, and a host page
// that installs it as window.API and opens the package's launch page in a frame.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const zlib = require('node:zlib');

const { buildSite } = require('./learner_helpers.cjs');

/** The package's runtime, loaded in node for its codec (encodeProgress, ...). */
const RUNTIME = path.resolve(__dirname, '..', '..', 'themes', 'default', 'static', 'assets', 'scorm.js');

/** A site with two tracks. `habit` (mastery score 60): an interview, then `opening`
 *  (2 attempts, 2 quiz questions, answers "Three" and "One thing") and `debrief`
 *  (1 attempt, 1 question, answer "Yes"). `solo`: `debrief` alone, no mastery score.
 *  Pages link to a page outside the tracks (about) and to one another. */
const LMS_FIXTURE = {
  'site.yaml': 'title: LMS Lab\nlanguage: en\nextra:\n  practice_key: lms-lab\n',
  'content/_index.md': '---\ntitle: LMS Lab\n---\nWelcome.\n',
  'content/about.md': '---\ntitle: About\n---\nAbout the lab.\n',
  'content/interviews/talk.md': [
    '---',
    'title: The Talk',
    'summary: Why practice matters.',
    'learn: [Why three tries beat one]',
    '---',
    '## Why practise',
    '',
    'Read [about the lab](../about.md), then [try the opening](../exercises/opening.md#steps).',
    '',
  ].join('\n'),
  'content/exercises/opening.md': [
    '---',
    'title: A new opening',
    'objective: Open two calls with the new line.',
    'attempts: 2',
    'related: [interviews/talk, exercises/elsewhere]',
    'quiz:',
    '  - question: How many tries before you judge?',
    "    choices: ['One', 'Three']",
    "    answer: 'Three'",
    '  - question: What do you change between tries?',
    "    choices: ['Everything', 'One thing']",
    "    answer: 'One thing'",
    '---',
    '## Steps',
    '',
    '1. Write the line down. See [about](@/about.md).',
    '2. Use it.',
    '',
  ].join('\n'),
  'content/exercises/debrief.md': [
    '---',
    'title: Debrief',
    'attempts: 1',
    'quiz:',
    '  - question: Do you debrief every call?',
    "    choices: ['Yes', 'No']",
    "    answer: 'Yes'",
    '---',
    'Ask yourself four questions.',
    '',
  ].join('\n'),
  'content/exercises/elsewhere.md': '---\ntitle: Elsewhere\n---\nNot in a track.\n',
  'content/tracks/habit.md': [
    '---',
    'title: The habit',
    'summary: Interview first, then practise.',
    'mastery_score: 60',
    'items:',
    '  - interviews/talk',
    '  - exercises/opening',
    '  - exercises/debrief',
    '---',
    'Work through it in order.',
    '',
  ].join('\n'),
  'content/tracks/solo.md': '---\ntitle: Solo\nitems: [exercises/debrief]\n---\nOne step.\n',
};

/** Builds `files` with `--lms scorm12`; returns the site and its output folder. */
function buildPackages(files = LMS_FIXTURE, args = []) {
  return buildSite(files, ['--lms', 'scorm12', ...args]);
}

/** The entries of a ZIP file (stored or deflated), by name, in the order stored. */
function unzip(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a ZIP file: no end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buffer.readUInt16LE(offset + 10);
    const size = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const local = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    files.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** Unzips OUT/lms/<slug>.zip into a new temporary folder; returns the folder. */
function unpack(out, slug) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `salesbook-lms-${slug}-`));
  for (const [name, bytes] of unzip(fs.readFileSync(path.join(out, 'lms', `${slug}.zip`)))) {
    const full = path.join(dir, name);
    if (!path.resolve(full).startsWith(path.resolve(dir) + path.sep)) throw new Error(`entry outside: ${name}`);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, bytes);
  }
  return dir;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.xsd': 'application/xml',
};

/** The LMS's page: scorm-again's SCORM 1.2 API as window.API, loaded with the CMI data
 *  given as JSON in `?cmi=` (what the LMS kept from a previous session), every API call
 *  recorded in window.lmsCalls, and the package's launch page in a frame (or, with
 *  `?popup=1`, in a window it opens, as some LMSes do). */
const HOST = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="/scorm-again/scorm12.js"></script>
<script>
  var params = new URLSearchParams(location.search);
  window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
  if (params.get('cmi')) window.API.loadFromJSON(JSON.parse(params.get('cmi')));
  window.lmsCalls = [];
  ['LMSInitialize', 'LMSFinish', 'LMSCommit', 'LMSSetValue', 'LMSGetValue'].forEach(function (name) {
    var original = window.API[name].bind(window.API);
    window.API[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var result = original.apply(null, args);
      window.lmsCalls.push({ name: name, args: args, result: String(result) });
      return result;
    };
  });
  window.calls = function (name) { return window.lmsCalls.filter(function (c) { return c.name === name; }); };
  window.lastSet = function (element) {
    var set = window.calls('LMSSetValue').filter(function (c) { return c.args[0] === element; });
    return set.length ? set[set.length - 1].args[1] : null;
  };
  window.cmi = function () {
    var core = window.API.cmi.core;
    return {
      lesson_status: core.lesson_status,
      score_raw: core.score.raw,
      score_min: core.score.min,
      score_max: core.score.max,
      lesson_location: core.lesson_location,
      // Write-only elements: what the package last set.
      exit: window.lastSet('cmi.core.exit'),
      session_time: window.lastSet('cmi.core.session_time'),
      suspend_data: window.API.cmi.suspend_data,
    };
  };
</script></head>
<body>
<h1>Test LMS</h1>
<script>
  if (params.get('popup')) {
    window.popup = window.open('/pkg/index.html', 'sco', 'width=1000,height=800');
  } else {
    var frame = document.createElement('iframe');
    frame.id = 'sco';
    frame.title = 'Course';
    frame.src = '/pkg/index.html';
    frame.style.width = '1200px';
    frame.style.height = '860px';
    document.body.appendChild(frame);
  }
</script>
</body></html>
`;

/** Serves the host page at /host.html, scorm-again at /scorm-again/, and the unzipped
 *  package `dir` at /pkg/: exact files only. Requests for anything else are 404s and
 *  recorded in `missing` (a package that needs a file it lacks shows up there). */
function serveLms(dir) {
  // The package's main file is in its dist/, beside scorm12.js.
  const scormAgain = path.dirname(require.resolve('scorm-again'));
  const missing = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = '';
    }
    if (pathname === '/host.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(HOST);
      return;
    }
    let file = null;
    if (pathname === '/scorm-again/scorm12.js') file = path.join(scormAgain, 'scorm12.js');
    if (pathname.startsWith('/pkg/') && !pathname.includes('\0')) {
      const candidate = path.join(dir, pathname.slice('/pkg/'.length));
      if (path.resolve(candidate).startsWith(path.resolve(dir) + path.sep)) file = candidate;
    }
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    try {
      if (!file || !fs.statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(fs.readFileSync(file));
    } catch {
      missing.push(pathname);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        missing,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/** Waits until `fn` (run in the page) returns a truthy value; returns it. */
async function until(page, fn, arg, what = String(fn)) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout: 10000, polling: 50 });
    return handle.jsonValue();
  } catch (e) {
    throw new Error(`timed out waiting for ${what}: ${e.message}`);
  }
}

module.exports = { LMS_FIXTURE, RUNTIME, buildPackages, unzip, unpack, serveLms, until };
