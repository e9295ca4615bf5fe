// Helpers shared by the browser tests and the latency measurement: a temp
// copy of a site, `salesbook serve` on a free port, headless Chromium, and a
// page instrumented to record the live-reload states it hears.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.SALESBOOK_BIN || 'target/debug/salesbook');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FIXTURE = path.join(__dirname, 'fixture');

/** Copies the parts of a site serve reads into a new temporary folder. */
function copySite(source = FIXTURE) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesbook-browser-'));
  for (const name of ['site.yaml', 'content', 'static', 'themes']) {
    const from = path.join(source, name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, name), { recursive: true });
  }
  return dir;
}

/**
 * Starts `salesbook serve ROOT --port PORT --bind 127.0.0.1` and resolves
 * once it prints `serving at http://…/` (10 s at most).
 */
function startServe(root, { port = 0, env = {} } = {}) {
  const child = spawn(BIN, ['serve', root, '--port', String(port), '--bind', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines = [];
  let pending = '';
  const waiters = new Set();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf('\n')) >= 0) {
      lines.push(pending.slice(0, end));
      pending = pending.slice(end + 1);
    }
    for (const waiter of waiters) waiter();
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const server = {
    child,
    lines,
    url: null,
    port: null,
    exited,
    log: () => lines.join('\n'),
    /** Resolves with the first line (from `from` on) matching `test`. */
    waitForLine(test, { from = 0, timeout = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.slice(from).find(test);
          if (line !== undefined) {
            done();
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching line from salesbook serve within ${timeout} ms:\n${server.log()}`));
        }, timeout);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        exited.then(() => check());
        check();
      });
    },
    /** Ctrl-C, and the exit status (killed after 10 s). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
  };
  return Promise.race([
    server.waitForLine((l) => l.startsWith('serving at http://')),
    exited.then(({ code }) => {
      throw new Error(`salesbook serve exited with ${code} before serving:\n${server.log()}`);
    }),
  ]).then(
    (line) => {
      server.url = line.slice('serving at '.length).split(' ')[0];
      server.port = Number(new URL(server.url).port);
      return server;
    },
    async (error) => {
      await server.stop();
      throw error;
    },
  );
}

/** Headless Chromium, as CI and developers have it installed. */
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

/**
 * A page that records every live-reload state it hears in
 * `window.__salesbookStates` (reset on each load), so tests know when the
 * event stream is connected.
 */
async function instrumentedPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await instrument(page);
  return page;
}

/** Makes `page` record the live-reload states it hears (see above). */
async function instrument(page) {
  await page.addInitScript(() => {
    const Original = window.EventSource;
    window.__salesbookStates = [];
    window.EventSource = function (url, options) {
      const source = new Original(url, options);
      source.addEventListener('state', (message) => {
        window.__salesbookStates.push(JSON.parse(message.data));
      });
      return source;
    };
    window.EventSource.prototype = Original.prototype;
  });
}

/** Waits until the page's event stream has delivered a state. */
async function waitForLiveState(page, timeout = 10_000) {
  await page.waitForFunction(() => window.__salesbookStates && window.__salesbookStates.length > 0, null, {
    timeout,
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

module.exports = {
  BIN,
  CHROMIUM,
  FIXTURE,
  REPO,
  copySite,
  startServe,
  launchChromium,
  instrument,
  instrumentedPage,
  waitForLiveState,
  median,
};
