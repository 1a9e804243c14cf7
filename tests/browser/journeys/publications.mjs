// The public publications: the demo's report is published with the command line (as staff
// would from their page; the server serves it from the database), then /publications and
// /publications/{year} are checked with axe-core, for what they load (the charts are images
// of the site), and for their language switch, which keeps the page.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, assert, assertEqual, checkAccessibility, serverBinary, watchNetwork } from '../lib.mjs';

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
}
