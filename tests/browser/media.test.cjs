// Interviews you can listen to: a local recording's player is sought from a
// transcript time and from a pull quote's time; the page passes axe; an interview
// whose media is on another site requests nothing from it.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { buildSite, serveStatic, launchChromium, newPage, axe, silentWav } = require('./learner_helpers.cjs');

function site(media) {
  return {
    'site.yaml': 'title: Media Lab\nlanguage: en\n',
    'content/_index.md': '---\ntitle: Media Lab\n---\nWelcome.\n',
    'content/speakers/leigh.md': '---\nname: Leigh Ashton\n---\nTrainer.\n',
    'content/interviews/talk.md': [
      '---',
      'title: The Talk',
      'guests: [leigh]',
      `media: ${media}`,
      'transcript: /media/talk.vtt',
      '---',
      'Notes on the talk.',
      '',
      '> Practise the thing that pays the bills.',
      '>',
      '> — Leigh Ashton, 0:07',
      '',
    ].join('\n'),
    'static/media/talk.vtt': [
      'WEBVTT',
      '',
      '00:01.000 --> 00:03.000',
      '<v Leigh Ashton>Why do tasks slip?',
      '',
      '00:05.500 --> 00:08.000',
      '<v Leigh Ashton>Practise the thing that pays the bills.',
      '',
    ].join('\n'),
    'static/media/talk.wav': silentWav(10),
  };
}

let browser;
const builds = {};

before(async () => {
  for (const [name, media] of [['local', '/media/talk.wav'], ['remote', 'https://www.youtube.com/watch?v=abc']]) {
    const built = buildSite(site(media));
    builds[name] = { built, server: await serveStatic(built.out) };
  }
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  for (const b of Object.values(builds)) {
    await b.server.close();
    b.built.remove();
  }
});

/** The player's position once it has come to rest after a seek. */
async function seekedTo(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const player = document.querySelector('[data-player]');
    const done = () => { player.pause(); resolve(player.currentTime); };
    if (player.seeking) player.addEventListener('seeked', done, { once: true });
    else done();
  }));
}

test('transcript and quote times seek the local recording', async () => {
  const { server } = builds.local;
  const context = await browser.newContext();
  const page = await newPage(context, new URL(server.url).origin);
  await page.goto(server.url + 'interviews/talk/');
  await page.waitForFunction(() => document.querySelector('audio[data-player]').readyState >= 1);

  await page.getByRole('button', { name: 'Play from 0:05' }).click();
  const fromTranscript = await seekedTo(page);
  assert.ok(Math.abs(fromTranscript - 5.5) < 0.5, `after the transcript time: ${fromTranscript}`);

  await page.getByRole('button', { name: 'Play from 0:07' }).click();
  const fromQuote = await seekedTo(page);
  assert.ok(Math.abs(fromQuote - 7) < 0.5, `after the quote time: ${fromQuote}`);

  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('remote media requests nothing from its site until the learner follows the link', async () => {
  const { server } = builds.remote;
  const context = await browser.newContext();
  const page = await newPage(context, new URL(server.url).origin);
  await page.goto(server.url + 'interviews/talk/');
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('iframe, audio, video').count(), 0);
  const link = page.getByRole('link', { name: 'Watch on youtube.com' });
  assert.equal(await link.getAttribute('href'), 'https://www.youtube.com/watch?v=abc');
  // Without a player, times stay text: there is nothing to seek.
  assert.equal(await page.getByRole('button', { name: /^Play from/ }).count(), 0);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
  await context.close();
});
