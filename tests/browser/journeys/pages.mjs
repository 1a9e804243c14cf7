// The pages that exist today, each in four tests: axe-core, what the page loads, the skip link,
// the language switch; plus a walk through every focusable element. All keyboard tests run
// with JavaScript disabled: the service works without it.

import {
  assert,
  assertEqual,
  assertVisibleFocus,
  checkAccessibility,
  focused,
  tab,
  tabUntil,
  watchNetwork,
} from '../lib.mjs';

const SKIP_LINK = { fr: 'Aller au contenu', en: 'Skip to content' };

/** path, language it is served in, and HTTP status; the language switch keeps the path. */
export const PAGES = [
  { path: '/', lang: 'fr' },
  { path: '/?lang=en', lang: 'en' },
  { path: '/questionnaires/territoires/v1', lang: 'fr' },
  { path: '/questionnaires/organisations/v1?lang=en', lang: 'en' },
  { path: '/questionnaires/coalitions/v1', lang: 'fr' },
  // An unknown questionnaire: the service's own 404 page, in the person's language; its
  // language switch gives the same page in the other language.
  { path: '/questionnaires/inconnu/v1', lang: 'fr', status: 404 },
  // The pages every French public-facing service has, linked from every footer.
  { path: '/mentions-legales', lang: 'fr' },
  { path: '/donnees-personnelles', lang: 'fr' },
  { path: '/donnees-personnelles?lang=en', lang: 'en' },
  { path: '/accessibilite', lang: 'fr' },
  { path: '/plan-du-site?lang=en', lang: 'en' },
  // A forgotten password: the form, and a link that no longer works (410, offering a new one).
  { path: '/password/forgot', lang: 'fr' },
  { path: '/password/forgot?lang=en', lang: 'en' },
  { path: '/password/reset/0000000000000000000000000000000000000000000000000000000000000000', lang: 'fr', status: 410 },
];

/** Opens `path` in a fresh context; gives the page, the network watcher and the response. */
async function open(browser, url, { javaScript = false } = {}) {
  const context = await browser.newContext({ javaScript });
  const network = watchNetwork(context);
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: 'load' });
  return { context, page, network, response };
}

async function withPage(browser, url, options, fn) {
  const opened = await open(browser, url, options);
  try {
    return await fn(opened);
  } finally {
    await opened.context.close();
  }
}

export default function pages({ test, server, browser }) {
  for (const { path, lang, status = 200 } of PAGES) {
    const url = server.url + path;
    const other = lang === 'fr' ? 'en' : 'fr';

    test(`${path}: axe-core finds no serious or critical violation`, () =>
      withPage(browser, url, { javaScript: true }, async ({ page, response }) => {
        assertEqual(response.status(), status, `HTTP status of ${path}`);
        await checkAccessibility(page, path);
      }));

    test(`${path}: loads nothing outside 127.0.0.1, nothing fails, styled under its CSP (no JS)`, () =>
      withPage(browser, url, {}, async ({ page, response, network }) => {
        assertEqual(response.status(), status, `HTTP status of ${path}`);
        assert(response.headers()['content-security-policy'], `${path} sends no Content-Security-Policy`);
        assertEqual(await page.getAttribute('html', 'lang'), lang, `<html lang> of ${path}`);
        const outside = network.outside();
        assert(outside.length === 0, `requests outside 127.0.0.1:\n  ${outside.join('\n  ')}`);
        const failures = network.failures();
        assert(failures.length === 0, `failed requests:\n  ${failures.join('\n  ')}`);
        const errors = network.consoleErrors();
        assert(errors.length === 0, `console errors (a CSP violation?):\n  ${errors.join('\n  ')}`);
        // The stylesheet applied: the skip link is out of sight until focused.
        const position = await page.$eval('.skip-link', (a) => getComputedStyle(a).position);
        assertEqual(position, 'absolute', 'position of the skip link (is the stylesheet applied?)');
      }));

    test(`${path}: first Tab reaches the visible skip link, Enter moves focus to the content (no JS)`, () =>
      withPage(browser, url, {}, async ({ page }) => {
        const first = await tab(page);
        assertEqual(first.text, SKIP_LINK[lang], 'text of the first element reached with Tab');
        assertEqual(first.href, '#contenu', 'target of the skip link');
        await assertVisibleFocus(page, 'the skip link');
        await page.keyboard.press('Enter');
        const target = await focused(page);
        assert(target.tag === 'main' && target.id === 'contenu',
          `after Enter on the skip link, focus is on ${target.tag}#${target.id} « ${target.text.slice(0, 60)} », not on main#contenu`);
        const next = await tab(page);
        const inMain = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
        assert(inMain, `the Tab after the skip link reaches « ${next.text} », outside the main content`);
        await assertVisibleFocus(page, 'the first element of the content');
      }));

    test(`${path}: the language switch is reachable with Tab and switches to ${other} (no JS)`, () =>
      withPage(browser, url, {}, async ({ page }) => {
        const link = await tabUntil(page, (el) => el.tag === 'a' && el.lang === other, 10);
        assert(link, `no link in ${other} among the first 10 elements reached with Tab`);
        const inNav = await page.evaluate(() => !!document.activeElement.closest('header nav'));
        assert(inNav, `the link « ${link.text} » is not in the header's nav`);
        await assertVisibleFocus(page, 'the language switch');
        await Promise.all([
          page.waitForURL((u) => u.searchParams.get('lang') === other),
          page.keyboard.press('Enter'),
        ]);
        const expectedPath = new URL(url).pathname;
        assertEqual(new URL(page.url()).pathname, expectedPath, 'page reached by the language switch');
        assertEqual(await page.getAttribute('html', 'lang'), other, '<html lang> after the switch');
        // The choice is remembered: the same page without ?lang= stays in that language.
        await page.goto(new URL(expectedPath, url).href);
        assertEqual(await page.getAttribute('html', 'lang'), other, '<html lang> on the next page (cookie)');
        const skip = await tab(page);
        assertEqual(skip.text, SKIP_LINK[other], 'skip link after the switch');
      }));

    test(`${path}: every element reached with Tab shows a visible focus (no JS)`, () =>
      withPage(browser, url, {}, async ({ page }) => {
        const seen = [];
        for (let i = 0; i < 300; i++) {
          const el = await tab(page);
          if (el.tag === 'body' || el.tag === null) break;
          const key = `${el.tag}|${el.href}|${el.text}`;
          if (seen.length > 0 && key === seen[0]) break; // wrapped around
          seen.push(key);
          await assertVisibleFocus(page, `element ${i + 1} in Tab order`);
        }
        assert(seen.length >= 3, `only ${seen.length} element(s) reached with Tab`);
      }));
  }
}
