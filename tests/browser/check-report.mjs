// Opens a page written by `lmactd explain --html` in headless Chromium and checks it the way a listener uses it:
// the three players load their audio, each one plays (its currentTime advances), a click on the relevance curve
// moves every player to the clicked time, and nothing on the page failed to load. Saves a full-page screenshot.
//
// Usage: node --experimental-websocket tests/browser/check-report.mjs PAGE.html SCREENSHOT.png [CHROMIUM]
// Needs Node 20+ and a Chromium (Debian: apt-get install chromium); only Node's built-in modules, talking the
// DevTools protocol over Node's own WebSocket. Exit code 0 when every check passed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [page, shot, browser = process.env.CHROMIUM ?? 'chromium'] = process.argv.slice(2);
if (!page || !shot) {
  console.error('usage: check-report.mjs PAGE.html SCREENSHOT.png [CHROMIUM]');
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), 'lmactd-browser-'));
const chrome = spawn(browser, [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
  // Players may start without a user gesture; the fake audio sink lets media time advance with no sound card.
  '--autoplay-policy=no-user-gesture-required', '--disable-features=AudioServiceOutOfProcess',
  `--user-data-dir=${profile}`, '--remote-debugging-port=0', '--window-size=1280,900', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe'] });

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
const sleep = ms => new Promise(r => setTimeout(r, ms));

function devtoolsUrl() {
  return new Promise((res, rej) => {
    let err = '';
    const timer = setTimeout(() => rej(new Error(`Chromium did not start:\n${err}`)), 30000);
    chrome.stderr.on('data', d => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); res(m[1]); }
    });
    chrome.on('exit', code => rej(new Error(`Chromium exited with ${code}:\n${err}`)));
  });
}

function connect(url) {
  const ws = new WebSocket(url);
  let id = 0;
  const pending = new Map();
  const listeners = [];
  ws.onmessage = ev => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) {
      const { res, rej } = pending.get(msg.id);
      pending.delete(msg.id);
      msg.error ? rej(new Error(`${msg.error.message} (${msg.error.code})`)) : res(msg.result);
    } else {
      for (const l of listeners) l(msg);
    }
  };
  const send = (method, params = {}, sessionId) => new Promise((res, rej) => {
    const m = ++id;
    pending.set(m, { res, rej });
    ws.send(JSON.stringify({ id: m, method, params, sessionId }));
  });
  return new Promise((res, rej) => {
    ws.onopen = () => res({ send, on: l => listeners.push(l), close: () => ws.close() });
    ws.onerror = e => rej(new Error(`DevTools socket: ${e.message ?? e}`));
  });
}

let cdp;
try {
  cdp = await connect(await devtoolsUrl());
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  const send = (m, p) => cdp.send(m, p, sessionId);
  const problems = [];
  cdp.on(msg => {
    if (msg.sessionId !== sessionId) return;
    if (msg.method === 'Runtime.exceptionThrown') problems.push(`exception: ${msg.params.exceptionDetails.text}`);
    if (msg.method === 'Log.entryAdded' && msg.params.entry.level === 'error') problems.push(`console: ${msg.params.entry.text}`);
    if (msg.method === 'Network.loadingFailed') problems.push(`load failed: ${msg.params.errorText}`);
    if (msg.method === 'Network.requestWillBeSent' && /^https?:/.test(msg.params.request.url)) problems.push(`network request: ${msg.params.request.url}`);
  });
  for (const d of ['Page', 'Runtime', 'Log', 'Network']) await send(`${d}.enable`);
  const evaluate = async expr => {
    const r = await send('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`${expr}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  };

  await send('Page.navigate', { url: pathToFileURL(resolve(page)).href });
  for (let i = 0; i < 100 && (await evaluate('document.readyState')) !== 'complete'; i++) await sleep(100);

  const ids = ['player-input', 'player-explanation', 'player-masked-out'];
  const duration = await evaluate('DURATION');
  // Load: each player has its metadata and the input's duration (one WAV sample period of slack).
  const loaded = await evaluate(`Promise.all(${JSON.stringify(ids)}.map(id => new Promise(res => {
      const a = document.getElementById(id);
      const done = () => res({ id, ready: a.readyState, duration: a.duration, error: a.error && a.error.code });
      if (a.readyState >= 1) done(); else { a.addEventListener('loadedmetadata', done); a.addEventListener('error', done); setTimeout(done, 10000); }
    })))`);
  for (const p of loaded) check(p.ready >= 1 && !p.error && Math.abs(p.duration - duration) < 0.01,
    `${p.id} loads (readyState ${p.ready}, duration ${p.duration?.toFixed?.(3)} s, page says ${duration.toFixed(3)} s)`);

  // Play: each player in turn (the page pauses the others), its time must advance.
  for (const id of ids) {
    const r = await evaluate(`(async () => {
        const a = document.getElementById('${id}');
        a.currentTime = 0;
        try { await a.play(); } catch (e) { return { error: String(e) }; }
        const t0 = a.currentTime;
        await new Promise(res => setTimeout(res, 800));
        const t1 = a.currentTime;
        a.pause();
        return { t0, t1, paused: a.paused };
      })()`);
    check(!r.error && r.t1 - r.t0 > 0.2, `${id} plays (currentTime ${r.t0?.toFixed(3)} -> ${r.t1?.toFixed(3)} s in 0.8 s${r.error ? ', ' + r.error : ''})`);
  }

  // Seek: a real mouse click at 60 % of the curve's width moves all three players to 60 % of the duration.
  const box = await evaluate(`(() => { const s = document.getElementById('relevance'); s.scrollIntoView({ block: 'center' });
      const r = s.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; })()`);
  const x = box.x + 0.6 * box.w, y = box.y + box.h / 2;
  for (const type of ['mousePressed', 'mouseReleased']) await send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 });
  await sleep(300);
  const times = await evaluate(`${JSON.stringify(ids)}.map(id => document.getElementById(id).currentTime)`);
  for (let i = 0; i < ids.length; i++)
    check(Math.abs(times[i] - 0.6 * duration) < 0.05 * duration, `click on the curve seeks ${ids[i]} to ${times[i].toFixed(3)} s (expected ${(0.6 * duration).toFixed(3)} s)`);
  const head = await evaluate(`parseFloat(document.getElementById('playhead').getAttribute('x1'))`);
  check(Math.abs(head - 600) < 50, `the playhead moved to the click (x ${head})`);

  check(problems.length === 0, `no errors or network requests (${problems.join('; ') || 'none'})`);

  // Screenshot of the whole page.
  const size = await evaluate('({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight })');
  await send('Emulation.setDeviceMetricsOverride', { width: 1280, height: Math.min(size.h, 6000), deviceScaleFactor: 1, mobile: false });
  await evaluate('window.scrollTo(0, 0)');
  await sleep(200);
  const { data } = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
  writeFileSync(shot, Buffer.from(data, 'base64'));
  console.log(`screenshot: ${shot} (${size.w}x${size.h})`);
} catch (e) {
  failures.push(String(e.stack ?? e));
  console.error(e);
} finally {
  cdp?.close();
  chrome.kill();
  await sleep(300);
  rmSync(profile, { recursive: true, force: true });
}

console.log(failures.length === 0 ? 'all browser checks passed' : `${failures.length} browser check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
