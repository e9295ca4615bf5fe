// Helpers for the learner-side browser tests (learner_*.test.cjs): a fixture site
// built with the salesbook binary into a temporary folder, a small static server
// that mounts it under a sub-path (as a project site on a static host would), and
// headless Chromium.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.SALESBOOK_BIN || 'target/debug/salesbook');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BASE = '/lab/';

/** The fixture: a home page, an interview with two speakers, two exercises (one with
 *  two attempts and a quiz, one with the default three), a track of all three. */
const FIXTURE = {
  'site.yaml': 'title: Learner Lab\ndescription: Practice makes habits.\nlanguage: en\n',
  'content/_index.md': '---\ntitle: Learner Lab\n---\nWelcome to the lab.\n',
  'content/speakers/host.md': '---\nname: Hana Host\nrole: Host\n---\nHana hosts.\n',
  'content/speakers/guest.md': '---\nname: Gil Guest\ncompany: Acme\n---\nGil sells.\n',
  'content/interviews/talk.md': [
    '---',
    'title: The Talk',
    'summary: Why practice matters.',
    'date: 2026-03-01',
    'host: host',
    'guests: [guest]',
    'learn: [Why three tries beat one]',
    'takeaways: [Try it three times]',
    '---',
    '## Why practise',
    '',
    '> Try it three times before you judge it.',
    '>',
    '> — Gil Guest',
    '',
  ].join('\n'),
  'content/exercises/opening.md': [
    '---',
    'title: A new opening',
    'summary: Try a new opening line.',
    'date: 2026-03-02',
    'objective: Open three calls with the new line.',
    'difficulty: beginner',
    'duration_minutes: 10',
    'attempts: 2',
    'related: [interviews/talk]',
    'reflection: [What changed between the tries?]',
    'quiz:',
    '  - question: How many tries before you judge?',
    "    choices: ['One', 'Three']",
    "    answer: 'Three'",
    '    explain: One try tells you little.',
    '  - question: What do you change between tries?',
    "    choices: ['Everything', 'One thing']",
    "    answer: 'One thing'",
    '---',
    '## Steps',
    '',
    '1. Write the line down.',
    '2. Use it.',
    '',
    '> [!FACILITATOR]',
    '> Ask the group for their lines first.',
    '',
  ].join('\n'),
  'content/exercises/debrief.md': [
    '---',
    'title: Debrief',
    'date: 2026-03-03',
    'reflection: [What went well?]',
    '---',
    '## Steps',
    '',
    'Ask yourself four questions.',
    '',
  ].join('\n'),
  'content/tracks/habit.md': [
    '---',
    'title: The habit',
    'summary: Interview first, then practise.',
    'level: beginner',
    'items:',
    '  - interviews/talk',
    '  - exercises/opening',
    '  - exercises/debrief',
    '---',
    'Work through it in order.',
    '',
  ].join('\n'),
};

/** A site that uses every site.yaml setting, every front matter field of every kind and
 *  every Markdown feature the contract lists (for sitecheck and the dark-mode axe run). */
const PHOTO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">' +
  '<rect width="64" height="64" fill="#1a56b0"/><text x="32" y="42" font-size="30" text-anchor="middle" fill="#fff">J</text></svg>\n';
const EVERY_FIELD = {
  'site.yaml': [
    'title: Every Field Lab',
    'description: A fixture that uses every field.',
    'base_url: https://example.com/lab/',
    'language: en',
    'theme: default',
    'extra:',
    '  practice_key: every-field-lab',
    '  owner: QA',
    '',
  ].join('\n'),
  'static/img/jo.svg': PHOTO,
  'content/_index.md': '---\ntitle: Every Field Lab\nsummary: Home of the fixture.\n---\nStart with [the track](@/tracks/full-track.md).\n',
  'content/about.md': [
    '---',
    'title: About this lab',
    'summary: A plain page.',
    'date: 2026-01-10',
    'updated: 2026-02-01',
    'tags: [meta]',
    'weight: 5',
    'extra: {icon: info}',
    '---',
    '## Who we are {#who}',
    '',
    'A plain page with a [link to a heading](#who) and ~~old~~ new text.',
    '',
    '| Column | Value |',
    '| --- | ---: |',
    '| one | 1 |',
    '| two | 2 |',
    '',
  ].join('\n'),
  'content/speakers/jo.md': [
    '---',
    'name: Jo Host',
    'summary: Jo runs the show.',
    'role: Host',
    'company: Lab Radio',
    'photo: /img/jo.svg',
    'links:',
    '  - label: Website',
    '    url: https://jo.example.org/',
    '  - label: Podcast',
    '    url: https://pod.example.org/jo',
    'tags: [hosts]',
    'weight: 1',
    'date: 2026-01-01',
    'extra: {x: 1}',
    '---',
    'Jo hosts every episode.',
    '',
  ].join('\n'),
  'content/speakers/al-smith.md': '---\nname: Al Smith\nrole: Sales trainer\ncompany: Acme & Sons\nslug: al\n---\nAl trains teams.\n',
  'content/speakers/bea.md': '---\nname: Bea Guest\n---\n',
  'content/interviews/2026/full-talk.md': [
    '---',
    'title: "The full talk: <every> field"',
    'summary: Why practice matters, with every field set.',
    'date: 2026-03-02',
    'updated: 2026-03-09',
    'tags: [Mindset, Practice]',
    'draft: false',
    'slug: full-talk',
    'weight: 2',
    'extra: {episode: 12}',
    'host: jo',
    'guests: [al, bea]',
    'learn:',
    '  - Why three tries beat one',
    '  - How to tweak between tries',
    'takeaways:',
    '  - Try it three times',
    '  - Change one thing at a time',
    'duration_minutes: 42',
    'source: https://source.example.org/episode-12',
    'media: https://media.example.org/episode-12.mp3',
    '---',
    '## Why practise',
    '',
    '> You have to try it three times before you judge it.',
    '>',
    '> — Al Smith',
    '',
    '## Tasks {#tasks}',
    '',
    '- [x] Read the notes',
    '- [ ] Do [the drill](../../exercises/full-drill.md#steps)',
    '',
    'A claim that needs a source.[^1]',
    '',
    '> [!NOTE]',
    '> A note.',
    '',
    '> [!TIP]',
    '> A tip.',
    '',
    '> [!IMPORTANT]',
    '> Important.',
    '',
    '> [!WARNING]',
    '> A warning.',
    '',
    '> [!CAUTION]',
    '> Careful.',
    '',
    '> [!FACILITATOR]',
    '> Play the first five minutes of the recording to the group.',
    '',
    '## What else',
    '',
    'Someone else said it too:',
    '',
    '> Quote by somebody who is not a speaker.',
    '>',
    '> -- Pat Unknown',
    '',
    '![Jo at the microphone](/img/jo.svg)',
    '',
    '[^1]: The source, of course.',
    '',
  ].join('\n'),
  'content/interviews/short.md': '---\ntitle: A short one\nhost: jo\n---\nShort.\n',
  'content/exercises/full-drill.md': [
    '---',
    'title: The full drill',
    'summary: An exercise with every field.',
    'date: 2026-03-03',
    'updated: 2026-03-04',
    'tags: [Practice, Drills]',
    'weight: 1',
    'extra: {kit: cards}',
    'objective: Use one technique on three calls, tweaking it between tries.',
    'difficulty: intermediate',
    'duration_minutes: 25',
    'attempts: 4',
    'related: [interviews/2026/full-talk, exercises/easy]',
    'reflection:',
    '  - What changed between the tries?',
    '  - What will you keep?',
    'quiz:',
    '  - question: How many tries before you judge a technique?',
    "    choices: ['One', 'Three', 'Ten']",
    "    answer: 'Three'",
    '    explain: One try tells you little.',
    '  - question: "What do you change between tries? (pick <one>)"',
    "    choices: ['Everything', 'One thing']",
    "    answer: 'One thing'",
    '---',
    '## Steps',
    '',
    '1. Pick a technique.',
    '2. Try it. See [the talk](@/interviews/2026/full-talk.md#why-practise).',
    '',
    '> [!FACILITATOR]',
    '> Pair people up before step 2.',
    '',
  ].join('\n'),
  'content/exercises/easy.md': '---\ntitle: Easy\ndifficulty: beginner\n---\nOne step.\n',
  'content/exercises/hard.md': '---\ntitle: Hard\ndifficulty: advanced\nattempts: 1\nduration_minutes: 60\n---\nMany steps.\n',
  'content/exercises/later.md': '---\ntitle: Not yet\ndraft: true\n---\nA draft.\n',
  'content/tracks/full-track.md': [
    '---',
    'title: The full track',
    'summary: Every kind of step.',
    'date: 2026-03-05',
    'updated: 2026-03-06',
    'tags: [Practice]',
    'weight: 1',
    'extra: {cohort: spring}',
    'level: intermediate',
    'items:',
    '  - interviews/2026/full-talk',
    '  - exercises/full-drill',
    '  - exercises/easy',
    '  - about',
    '  - exercises/hard',
    '---',
    'Go in order. The [drill](../exercises/full-drill.md#steps) is the core.',
    '',
  ].join('\n'),
  'content/tracks/second.md': '---\ntitle: Second track\nitems: [exercises/easy]\n---\n',
};

/** Writes `files` into a new temporary folder and builds it; returns the output folder. */
function buildSite(files = FIXTURE, args = []) {
  if (!fs.existsSync(BIN)) {
    throw new Error(`no salesbook binary at ${BIN}: run \`cargo build\` first (or set SALESBOOK_BIN)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesbook-learner-'));
  for (const [name, text] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  const out = path.join(dir, 'public');
  execFileSync(BIN, ['build', dir, '-o', out, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { dir, out, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.vtt': 'text/vtt; charset=utf-8',
};

/** Serves `dir` under `base` on 127.0.0.1: a folder URL serves its index.html, a folder
 *  without its trailing `/` redirects, anything outside `base` or missing is a 404 (with
 *  `notFoundPage`, a miss under `base` answers the site's own 404.html, as hosts do). */
function serveStatic(dir, base = BASE, { notFoundPage = false } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = '';
    }
    if (!pathname.startsWith(base) || pathname.includes('\0')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let file = path.join(dir, pathname.slice(base.length));
    if (!path.resolve(file).startsWith(path.resolve(dir))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const stat = fs.statSync(file);
      if (stat.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { location: url.pathname + '/' }).end();
          return;
        }
        file = path.join(file, 'index.html');
      }
      const body = fs.readFileSync(file);
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      // Byte ranges, as static hosts answer them: a player seeks with them.
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
      if (range && (range[1] || range[2])) {
        const start = range[1] ? Number(range[1]) : Math.max(0, body.length - Number(range[2]));
        const end = range[1] && range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
        res.writeHead(206, {
          'content-type': type,
          'accept-ranges': 'bytes',
          'content-range': `bytes ${start}-${end}/${body.length}`,
        });
        res.end(body.subarray(start, end + 1));
        return;
      }
      res.writeHead(200, { 'content-type': type, 'accept-ranges': 'bytes' });
      res.end(body);
    } catch {
      const page = path.join(dir, '404.html');
      if (notFoundPage && fs.existsSync(page)) {
        res.writeHead(404, { 'content-type': TYPES['.html'] }).end(fs.readFileSync(page));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${base}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

async function launchChromium() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A new page that records console errors and uncaught exceptions in `page.errors`,
 *  and refuses every request to another origin. */
async function newPage(context, origin) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    page.errors.push(`request to another origin: ${url}`);
    return route.abort();
  });
  return page;
}

/** The axe-core source: from this folder's node_modules, else sitecheck's cache. */
function axeSource() {
  const candidates = [];
  try {
    candidates.push(require.resolve('axe-core/axe.min.js'));
  } catch {
    /* not installed here */
  }
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  candidates.push(path.join(cache, 'sitecheck', 'node_modules', 'axe-core', 'axe.min.js'));
  for (const file of candidates) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  throw new Error('axe-core not found: run `npm ci` in tests/browser');
}

/** Runs axe (WCAG 2.1 A and AA) on the page; returns the violations. */
async function axe(page) {
  await page.addScriptTag({ content: axeSource() });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      summary: v.nodes[0] && v.nodes[0].failureSummary,
    }));
  });
}

/** `seconds` of silence as a WAV file (16-bit mono, `rate` samples a second): a real
    recording to play. */
function silentWav(seconds, rate = 8000) {
  const dataLength = rate * 2 * seconds;
  const wav = Buffer.alloc(44 + dataLength);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + dataLength, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); // format chunk length
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36);
  wav.writeUInt32LE(dataLength, 40);
  return wav;
}

module.exports = { FIXTURE, EVERY_FIELD, BASE, BIN, buildSite, serveStatic, launchChromium, newPage, axe, silentWav };
