// The public publications: the demo's report is published with the command line (as staff
// would from their page; the server serves it from the database), then /publications and
// /publications/{year} are checked with axe-core, for what they load (the charts are images
// of the site), and for their language switch, which keeps the page.
// `serve --demo` has published the demo's 2025 report already (its map of the départements and
// its years side by side): an anonymous visitor reads the document with the keyboard (the
// table of contents leads to its sections), axe-core finds it clean, and at 320 px neither
// the page nor the document scrolls sideways.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, assert, assertEqual, checkAccessibility, focused, serverBinary, tabUntil, watchNetwork } from '../lib.mjs';

const YEAR = new Date().getUTCFullYear();

async function withPage(browser, url, { javaScript = false } = {}, fn) {
  const context = await browser.newContext({ javaScript });
  const network = watchNetwork(context);
  const page = await context.newPage();
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    return await fn({ page, response, network });
  } finally {
    await context.close();
  }
}

export default function publications({ test, server, browser }) {
  test(`publications: the ${YEAR} report is published from the command line`, () => {
    const out = join(server.dataDir, 'published');
    const env = {
      ...process.env,
      APP_DATA_DIR: server.dataDir,
      APP_QUESTIONNAIRES_DIR: join(REPO, 'questionnaires'),
      APP_LOG: 'warn',
      APP_LANG: 'fr',
    };
    delete env.DATABASE_URL;
    const result = spawnSync(serverBinary(), ['report', '--year', String(YEAR), '--publish', '--out', out], {
      cwd: server.dataDir,
      env,
      encoding: 'utf8',
      timeout: 300_000,
    });
    assertEqual(result.status, 0, `reset-eval report --publish exited with ${result.status}: ${result.stderr}`);
  });

  for (const path of ['/publications', `/publications/${YEAR}`, `/publications/${YEAR}?lang=en`]) {
    test(`${path}: axe-core finds no serious or critical violation`, () =>
      withPage(browser, server.url + path, { javaScript: true }, async ({ page, response }) => {
        assertEqual(response.status(), 200, `HTTP status of ${path}`);
        await checkAccessibility(page, path);
      }));

    test(`${path}: loads nothing outside 127.0.0.1, nothing fails, nothing is blocked (no JS)`, () =>
      withPage(browser, server.url + path, {}, async ({ page, network }) => {
        await page.waitForLoadState('networkidle');
        const outside = network.outside();
        assert(outside.length === 0, `requests outside 127.0.0.1:\n  ${outside.join('\n  ')}`);
        const failures = network.failures();
        assert(failures.length === 0, `failed requests:\n  ${failures.join('\n  ')}`);
        const errors = network.consoleErrors();
        assert(errors.length === 0, `console errors (a CSP violation?):\n  ${errors.join('\n  ')}`);
      }));
  }

  test(`/publications/${YEAR}: every chart is shown, named, and the way back leads to the list (no JS)`, () =>
    withPage(browser, `${server.url}/publications/${YEAR}`, {}, async ({ page }) => {
      const charts = await page.$$eval('figure.chart img', (imgs) =>
        imgs.map((img) => ({ alt: img.alt, loaded: img.complete && img.naturalWidth > 0 })));
      assert(charts.length >= 3, `only ${charts.length} chart(s) on the page`);
      for (const chart of charts) {
        assert(chart.alt.trim().length > 0, 'a chart has no text alternative');
        assert(chart.loaded, `the chart « ${chart.alt} » did not load`);
      }
      const back = await page.getAttribute('main a[href="/publications"]', 'href');
      assertEqual(back, '/publications', 'the way back');
      const english = await page.getAttribute('header nav a[lang="en"]', 'href');
      assertEqual(english, `/publications/${YEAR}?lang=en`, 'the language switch keeps the page');
    }));

  const DEMO = '/publications/2025';
  const DOCUMENT = `${DEMO}/files/index.html`;

  test(`${DOCUMENT}: an anonymous visitor follows the table of contents with the keyboard (no JS)`, () =>
    withPage(browser, server.url + DOCUMENT, {}, async ({ page, response }) => {
      assertEqual(response.status(), 200, `HTTP status of ${DOCUMENT}`);
      const map = await page.$('svg.report-map[role="img"][aria-labelledby]');
      assert(map, 'the document shows the map of the départements, as a named image');
      const years = await page.$$('svg.report-chart[role="img"]');
      assert(years.length >= 4, `only ${years.length} chart(s) in the document`);
      const contents = await tabUntil(page, (el) => el.href === '#points-cles', 20);
      assert(contents, 'Tab reaches « Points clés » in the table of contents');
      await page.keyboard.press('Enter');
      // The URL's fragment changes a moment after the key: wait for it rather than race it.
      await page.waitForURL((url) => url.hash === '#points-cles', { timeout: 5000 }).catch(() => {});
      assertEqual(new URL(page.url()).hash, '#points-cles', 'Enter follows the link');
      // Back to the top, then on to the first section: each entry of the contents is a link.
      await page.goto(server.url + DOCUMENT, { waitUntil: 'load' });
      const section = await tabUntil(page, (el) => el.href === '#participation', 20);
      assert(section, 'Tab reaches « 1. Participation »');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.hash === '#participation', { timeout: 5000 }).catch(() => {});
      assertEqual(new URL(page.url()).hash, '#participation', 'Enter follows the link');
      const inView = await page.$eval('#participation', (h) => {
        const box = h.getBoundingClientRect();
        return box.top >= -1 && box.top < window.innerHeight;
      });
      assert(inView, 'the section « 1. Participation » is on screen');
      // The next Tab goes on from the section reached, not from the top of the page.
      const next = await tabUntil(page, () => true, 1);
      const after = await page.evaluate(() => {
        const target = document.getElementById('participation');
        return Boolean(target.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      assert(next && after, `the next Tab lands after the section, not on ${JSON.stringify(await focused(page))}`);
    }));

  test(`${DOCUMENT}: axe-core finds no serious or critical violation`, () =>
    withPage(browser, server.url + DOCUMENT, { javaScript: true }, async ({ page }) => {
      await checkAccessibility(page, DOCUMENT);
    }));

  for (const path of [DEMO, DOCUMENT, `${DEMO}/files/en/index.html`]) {
    test(`${path}: at 320 px wide nothing scrolls sideways`, async () => {
      const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
      try {
        const page = await context.newPage();
        const response = await page.goto(server.url + path, { waitUntil: 'load' });
        assertEqual(response.status(), 200, `HTTP status of ${path}`);
        const widths = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        assert(widths.scroll <= widths.client, `${path} is ${widths.scroll} px wide in a ${widths.client} px window`);
      } finally {
        await context.close();
      }
    });
  }
}
