// Helpers of the browser tests: the reset-eval server, headless Chromium, axe-core, keyboard
// navigation, and a tiny test runner. No test framework: `node run.mjs` is the whole harness.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// Never let playwright fetch a browser of its own: the tests use Debian's chromium.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

const require = createRequire(import.meta.url);
export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');

// ---------------------------------------------------------------------------------------------
// Cleanup: every server started here is killed when this process ends, whatever the reason.

const cleanups = new Set();

function runCleanups() {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // keep cleaning up the others
    }
  }
  cleanups.clear();
}

process.on('exit', runCleanups);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    runCleanups();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 0));
  });
}
process.on('uncaughtException', (error) => {
  console.error(error);
  runCleanups();
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  console.error(error);
  runCleanups();
  process.exit(1);
});

// ---------------------------------------------------------------------------------------------
// The server.

/** Path of the reset-eval binary: $RESET_EVAL_BIN, else $CARGO_TARGET_DIR/debug/reset-eval. */
export function serverBinary() {
  if (process.env.RESET_EVAL_BIN) return resolve(process.env.RESET_EVAL_BIN);
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'reset-eval', 'target');
  // cargo reads a relative CARGO_TARGET_DIR from where it runs: the repository's root here.
  return join(isAbsolute(target) ? target : resolve(REPO, target), 'debug', 'reset-eval');
}

/**
 * Starts `reset-eval serve` on a free port of 127.0.0.1, with a fresh data directory (so a
 * fresh SQLite database) and the repository's questionnaires. Resolves once the server prints
 * « reset-eval est prêt : http://127.0.0.1:PORT ».
 *
 * @param {{demo?: boolean, timeoutMs?: number, env?: Record<string, string>}} options
 * @returns {Promise<{url: string, dataDir: string, stop: () => Promise<void>}>}
 */
export async function startServer({ demo = false, timeoutMs = 60_000, env: extraEnv = {} } = {}) {
  const binary = serverBinary();
  if (!existsSync(binary)) {
    throw new Error(
      `reset-eval binary not found at ${binary}: build it with ` +
        '`cargo build --bin reset-eval`, or set RESET_EVAL_BIN (or CARGO_TARGET_DIR)',
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'reset-eval-browser-'));
  const env = {
    ...process.env,
    APP_DATA_DIR: dataDir,
    APP_QUESTIONNAIRES_DIR: join(REPO, 'questionnaires'),
    APP_LOG: 'warn',
    APP_LANG: 'fr',
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.APP_BIND;
  const args = ['serve', '--bind', '127.0.0.1:0', ...(demo ? ['--demo'] : [])];
  const child = spawn(binary, args, { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (process.env.BROWSER_TESTS_SERVER_LOG) process.stderr.write(`[server] ${chunk}`);
  });

  let exited = false;
  const exit = new Promise((resolveExit) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolveExit({ code, signal });
    }),
  );
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.add(kill);

  const url = await new Promise((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      reject(new Error(`reset-eval did not say it was ready within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const first = stdout.slice(0, newline);
      const match = first.match(/(http:\/\/127\.0\.0\.1:\d+)\s*$/);
      clearTimeout(timer);
      if (match) resolveUrl(match[1]);
      else reject(new Error(`unexpected first line from reset-eval: ${JSON.stringify(first)}`));
    });
    exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`reset-eval ${args.join(' ')} exited (${signal ?? code}) before it was ready\n${stderr}`));
    });
  }).catch((error) => {
    kill();
    cleanups.delete(kill);
    throw error;
  });
  // Keep reading stdout so the pipe never fills.
  child.stdout.resume();

  return {
    url,
    dataDir,
    /** The server's stderr so far (warnings and errors only: APP_LOG=warn). */
    stderr: () => stderr,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }
      kill();
      cleanups.delete(kill);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The browser.

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Debian's headless Chromium ($CHROMIUM, else /usr/bin/chromium).
 * `newContext({javaScript})` opens a fresh context (no cookies): JavaScript is DISABLED unless
 * asked, since the service must work without it; a JavaScript context also bypasses the pages'
 * CSP, only so that axe-core can be injected.
 */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium, or set CHROMIUM`);
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  cleanups.add(() => browser.close().catch(() => {}));
  return {
    browser,
    version: browser.version(),
    /** @param {{javaScript?: boolean, locale?: string}} options */
    newContext({ javaScript = false, locale = 'fr-FR', ...rest } = {}) {
      return browser.newContext({
        javaScriptEnabled: javaScript,
        bypassCSP: javaScript,
        locale,
        viewport: { width: 1280, height: 800 },
        ...rest,
      });
    },
    close: () => browser.close(),
  };
}

/**
 * Records every request of a context and every console error of its pages. `outside()` lists
 * requests that leave 127.0.0.1 (data: URLs excepted), `failures()` sub-resources that answered
 * 400 or more, `consoleErrors()` what the pages reported (CSP violations among them).
 */
export function watchNetwork(context) {
  const requests = [];
  const failures = [];
  const consoleErrors = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('requestfailed', (request) =>
    failures.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`),
  );
  context.on('response', (response) => {
    const request = response.request();
    if (response.status() >= 400 && !(request.isNavigationRequest() && request.frame().parentFrame() === null)) {
      failures.push(`${response.url()}: HTTP ${response.status()}`);
    }
  });
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The document's own error status (a 404 page) is what the test asked for.
    if (/^Failed to load resource: the server responded with a status of/.test(message.text()) &&
        message.location()?.url === message.page()?.url()) return;
    consoleErrors.push(message.text());
  });
  return {
    requests: () => [...requests],
    outside: () =>
      requests.filter((url) => {
        if (url.startsWith('data:') || url === 'about:blank') return false;
        try {
          return new URL(url).hostname !== '127.0.0.1';
        } catch {
          return true;
        }
      }),
    failures: () => [...failures],
    consoleErrors: () => [...consoleErrors],
  };
}

// ---------------------------------------------------------------------------------------------
// Accessibility with axe-core.

export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core on the page (which must be in a JavaScript context: see `launchBrowser`).
 * Throws on any serious or critical violation, listing rule, impact, help and nodes; prints
 * minor and moderate ones as warnings. Returns axe's results.
 */
export async function checkAccessibility(page, name) {
  await assertFitsNarrowScreen(page, name);
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const blocking = results.violations.filter((v) => BLOCKING.has(v.impact));
  const minor = results.violations.filter((v) => !BLOCKING.has(v.impact));
  if (minor.length > 0) {
    console.log(`  warning: ${name}: ${minor.length} minor or moderate accessibility issue(s)\n${describeViolations(minor)}`);
  }
  if (blocking.length > 0) {
    throw new Error(`${name}: ${blocking.length} serious or critical accessibility violation(s)\n${describeViolations(blocking)}`);
  }
  return results;
}

/** The narrowest screen a page must fit without scrolling sideways (WCAG 1.4.10, reflow). */
export const NARROW = 320;

/**
 * Throws when `page`, laid out NARROW px wide, is wider than the screen
 * (`document.documentElement.scrollWidth > 320`), naming the outermost elements that stick
 * out; a wide table belongs in its own scroll container (`.table-scroll`). Every page audited
 * with `checkAccessibility` is checked, so every journey checks the pages it visits. The
 * viewport is put back afterwards.
 */
export async function assertFitsNarrowScreen(page, name) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: NARROW, height: 640 });
  try {
    const found = await page.evaluate((narrow) => {
      const width = document.documentElement.scrollWidth;
      if (width <= narrow) return { width, culprits: [] };
      const sticksOut = (el) => el.getBoundingClientRect().right > narrow + 0.5;
      // What a scroll container clips does not widen the page.
      const clipped = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          if (getComputedStyle(up).overflowX !== 'visible') return true;
        }
        return false;
      };
      const culprits = [...document.documentElement.querySelectorAll('*')]
        .filter((el) => el.parentElement && sticksOut(el) && !sticksOut(el.parentElement) && !clipped(el))
        .slice(0, 5)
        .map((el) => {
          const html = el.outerHTML.replace(/\s+/g, ' ');
          return `${Math.round(el.getBoundingClientRect().right)} px: ${html.length > 140 ? `${html.slice(0, 137)}...` : html}`;
        });
      return { width, culprits };
    }, NARROW);
    if (found.width > NARROW) {
      throw new Error(`${name}: ${found.width} px wide at ${NARROW} px, scrolls sideways; sticking out:\n    ${found.culprits.join('\n    ')}`);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

export function describeViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`    - ${v.id} (${v.impact}): ${v.help} <${v.helpUrl.replace(/\?.*$/, '')}>`);
    for (const node of v.nodes.slice(0, 10)) {
      const html = node.html.length > 160 ? `${node.html.slice(0, 157)}...` : node.html;
      lines.push(`        at ${node.target.join(' ')}  ${html}`);
      const summary = (node.failureSummary ?? '').split('\n').slice(1, 3).map((s) => s.trim()).filter(Boolean);
      for (const s of summary) lines.push(`           ${s}`);
    }
    if (v.nodes.length > 10) lines.push(`        ... and ${v.nodes.length - 10} more node(s)`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Keyboard.

/** Presses Tab n times (Shift+Tab when n is negative); returns the focused element's description. */
export async function tab(page, n = 1) {
  const key = n < 0 ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < Math.abs(n); i++) await page.keyboard.press(key);
  return focused(page);
}

/** The focused element: tag, id, href, accessible-ish text (aria-label, text, value, alt). */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return { tag: el ? el.tagName.toLowerCase() : null, id: '', href: null, text: '' };
    }
    const text = (
      el.getAttribute('aria-label') ||
      (el.getAttribute('aria-labelledby') || '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ') ||
      el.innerText ||
      el.value ||
      el.getAttribute('alt') ||
      el.getAttribute('title') ||
      ''
    ).replace(/\s+/g, ' ').trim();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      href: el.getAttribute('href'),
      lang: el.getAttribute('lang'),
      text,
    };
  });
}

/** Text of the focused element ('' when nothing but the body has focus). */
export async function focusedText(page) {
  return (await focused(page)).text;
}

/** Tabs until the focused element satisfies `predicate` (at most `max` presses); returns it or null. */
export async function tabUntil(page, predicate, max = 100) {
  for (let i = 0; i < max; i++) {
    const el = await tab(page, 1);
    if (predicate(el)) return { ...el, presses: i + 1 };
  }
  return null;
}

/**
 * Whether the focused element shows where focus is, and is on screen. Compares its computed
 * style with that of an unfocused copy inserted beside it (same classes, same place in the
 * cascade): a visible outline, or a change of box-shadow, background, colour, border or
 * underline, counts as an indicator. Returns {ok, reason, box, ...}.
 */
export async function focusIndicator(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { ok: false, reason: 'nothing has focus' };
    const props = [
      'outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color',
      'color', 'border-top-color', 'border-bottom-color', 'border-bottom-width',
      'text-decoration-line', 'text-decoration-thickness',
    ];
    const read = (node) => {
      const s = getComputedStyle(node);
      return Object.fromEntries(props.map((p) => [p, s.getPropertyValue(p)]));
    };
    const focusedStyle = read(el);
    const copy = el.cloneNode(true);
    copy.removeAttribute('id');
    copy.setAttribute('aria-hidden', 'true');
    el.after(copy);
    const restingStyle = read(copy);
    copy.remove();

    const transparent = (c) => c === 'transparent' || /rgba\(.*,\s*0\)$/.test(c);
    const outline =
      focusedStyle['outline-style'] !== 'none' &&
      parseFloat(focusedStyle['outline-width']) >= 1 &&
      !transparent(focusedStyle['outline-color']);
    const changed = props.filter((p) => focusedStyle[p] !== restingStyle[p]);

    const r = el.getBoundingClientRect();
    const box = { x: r.x, y: r.y, width: r.width, height: r.height };
    const onScreen =
      r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
      r.left < innerWidth && r.top < innerHeight;
    const style = getComputedStyle(el);
    const shown = style.visibility !== 'hidden' && style.display !== 'none' && parseFloat(style.opacity) > 0;
    // A link that wraps has several boxes and the centre of their union may be blank: probe
    // the centre of its first box.
    const first = el.getClientRects()[0] ?? r;
    const hit = onScreen ? document.elementFromPoint(first.x + first.width / 2, first.y + first.height / 2) : null;
    const uncovered = !!hit && (hit === el || el.contains(hit));

    // An outline counts only when drawn; any other change of look counts.
    const indicator = outline || changed.some((p) => !p.startsWith('outline'));
    let reason = '';
    if (!indicator) reason = 'no outline and no style change when focused';
    else if (!onScreen) reason = `off screen at ${JSON.stringify(box)}`;
    else if (!shown) reason = 'hidden by visibility, display or opacity';
    else if (!uncovered) reason = `covered by ${hit ? hit.outerHTML.slice(0, 80) : 'nothing'}`;
    return {
      ok: indicator && onScreen && shown && uncovered,
      reason,
      outline,
      changed,
      box,
      focusedStyle,
      restingStyle,
    };
  });
}

/** Throws unless the focused element is on screen with a visible focus indicator. */
export async function assertVisibleFocus(page, what = 'the focused element') {
  const result = await focusIndicator(page);
  if (!result.ok) {
    const el = await focused(page);
    throw new Error(`${what} (${el.tag} « ${el.text} ») has no visible focus: ${result.reason}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Assertions.

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The runner: `test(name, fn)` queues a test, `run()` runs them in order, one line each, and
// ends with « N passed, M failed ». Arguments to run.mjs filter tests by name (substring).

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

/** Runs the queued tests in order; returns the number of failures. */
export async function run({ filter = [] } = {}) {
  const selected = filter.length === 0 ? [...tests] : tests.filter((t) => filter.some((f) => t.name.includes(f)));
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of selected) {
    const started = performance.now();
    try {
      await fn();
      passed++;
      console.log(`ok   ${name} (${Math.round(performance.now() - started)} ms)`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name} (${Math.round(performance.now() - started)} ms)`);
      const text = error?.stack && !(error?.message ?? '').includes('\n') ? error.stack : String(error?.message ?? error);
      console.log(text.split('\n').map((line) => `     ${line}`).join('\n'));
    }
  }
  tests.length = 0;
  if (selected.length === 0) {
    failed++;
    console.log(`FAIL no test matches ${JSON.stringify(filter)}`);
  }
  console.log(`time: ${(performance.now() / 1000).toFixed(1)} s since start`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

// ---------------------------------------------------------------------------------------------
// Mail: without APP_SMTP_URL the server writes each mail as an .eml file in <data>/outbox/.

/** Decodes quoted-printable text (the server writes every part so). */
function decodeQuotedPrintable(raw) {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The first link containing `marker` of the newest mail to `to` in the server's outbox,
 * waiting up to 15 s for it.
 */
export async function linkInMail(server, to, marker) {
  const outbox = join(server.dataDir, 'outbox');
  for (let i = 0; i < 300; i++) {
    const names = existsSync(outbox) ? readdirSync(outbox).filter((n) => n.endsWith('.eml')).sort().reverse() : [];
    for (const name of names) {
      const raw = readFileSync(join(outbox, name), 'utf8');
      if (!raw.split(/\r?\n/).some((l) => l.toLowerCase() === `to: ${to.toLowerCase()}`)) continue;
      const text = decodeQuotedPrintable(raw);
      const link = text.split(/[\s"<>]+/).find((w) => w.startsWith('http') && w.includes(marker));
      if (link) return link.replaceAll('&amp;', '&');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to} with a link to ${marker} in ${outbox}`);
}
