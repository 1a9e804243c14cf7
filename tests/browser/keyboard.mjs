// Keyboard and audit helpers shared by the journeys: find elements by pressing Tab as a person
// would, type into the focused field, and run axe-core in a separate JavaScript context.

import { assert, assertEqual, checkAccessibility } from './lib.mjs';

export const NAV_TIMEOUT = 20_000;

// ---------------------------------------------------------------------------------------------
// Keyboard helpers.

/** The focused element, described the way a person would find it: role-ish, name, label. */
export async function focus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return { tag: el ? el.tagName.toLowerCase() : null, none: true, label: '', text: '' };
    }
    const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const label =
      clean(el.getAttribute('aria-label')) ||
      clean([...(el.labels ?? [])].map((l) => l.innerText).join(' ')) ||
      clean(el.innerText) ||
      clean(el.getAttribute('title'));
    return {
      tag: el.tagName.toLowerCase(),
      type: (el.getAttribute('type') || '').toLowerCase(),
      name: el.getAttribute('name') || '',
      id: el.id,
      value: typeof el.value === 'string' ? el.value : '',
      checked: !!el.checked,
      href: el.getAttribute('href'),
      lang: el.getAttribute('lang'),
      label,
      text: label,
      question: el.closest('fieldset.question')?.id ?? null,
      inMain: !!el.closest('main'),
      inHeaderNav: !!el.closest('header nav'),
      inErrorSummary: !!el.closest('.error-summary'),
    };
  });
}

export function show(el) {
  if (!el || el.none) return '(nothing: the body)';
  const bits = [el.tag];
  if (el.type) bits.push(`[type=${el.type}]`);
  if (el.name) bits.push(`[name=${el.name}]`);
  if (el.href) bits.push(`[href=${el.href}]`);
  return `${bits.join('')} « ${el.label.slice(0, 70)} »`;
}

/** Presses Tab (or Shift+Tab) until `predicate(focused)`; throws, naming `what`, if never. */
export async function tabTo(page, predicate, what, { max = 120, back = false } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const el = await focus(page);
    if (predicate(el)) return el;
    seen.push(show(el));
  }
  throw new Error(
    `could not reach ${what} with ${back ? 'Shift+Tab' : 'Tab'} on ${page.url()} in ${max} presses; ` +
      `last reached:\n  ${seen.slice(-8).join('\n  ')}`,
  );
}

/** Presses `key` and waits for the page it loads; returns the last response (after redirects). */
export async function pressAndLoad(page, key) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
    page.keyboard.press(key),
  ]);
  assert(response, `pressing ${key} on ${page.url()} loaded no document`);
  return response;
}

/** Replaces the focused field's content by typing. */
export async function typeInFocused(page, text) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** Chooses an option of the focused (closed) select: types `prefix`, then arrows until `value`. */
export async function chooseInSelect(page, value, prefix = '') {
  const current = () => page.evaluate(() => document.activeElement.value);
  if (prefix) await page.keyboard.type(prefix);
  for (const key of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0; i < 120 && (await current()) !== value; i++) await page.keyboard.press(key);
  }
  const got = await current();
  assertEqual(got, value, 'option chosen in the select with the keyboard');
}

/** The first Tab reaches the skip link; Enter moves focus into main. */
export async function skipToContent(page) {
  const first = await tabTo(page, () => true, 'the skip link', { max: 1 });
  assert(first.href === '#contenu', `first Tab reaches ${show(first)}, not the skip link`);
  await page.keyboard.press('Enter');
  const inMain = await page.evaluate(() => document.querySelector('main')?.contains(document.activeElement));
  assert(inMain, `Enter on the skip link of ${page.url()} did not move focus into main`);
}

export const path = (page) => new URL(page.url()).pathname;

// ---------------------------------------------------------------------------------------------
// axe-core, in a separate JavaScript context. Results are kept by page and reported by tests
// of their own, so that a violation does not stop the journey.


export function auditor(browser, server) {
  const results = new Map();
  return {
    results,
    /** axe on `url` in a JavaScript context holding the cookies of `from` (a context). */
    async live(name, url, from) {
      const context = await browser.newContext({ javaScript: true });
      try {
        if (from) await context.addCookies(await from.cookies());
        const page = await context.newPage();
        const response = await page.goto(url, { waitUntil: 'load' });
        assertEqual(response.status(), 200, `HTTP status of ${url} in the axe context`);
        await checkAccessibility(page, name);
        results.set(name, { ok: true, where: url });
      } catch (error) {
        results.set(name, { error, where: url });
      } finally {
        await context.close();
      }
    },
    /** axe on a copy of `page`'s HTML (a page only a POST returns), stylesheet loaded. */
    async saved(name, page) {
      const where = `copy of ${page.url()}`;
      const context = await browser.newContext({ javaScript: true });
      try {
        const html = (await page.content()).replace(/<head>/i, `<head><base href="${server.url}/">`);
        const copy = await context.newPage();
        await copy.setContent(html, { waitUntil: 'load' });
        const position = await copy.$eval('.skip-link', (a) => getComputedStyle(a).position);
        assertEqual(position, 'absolute', `the stylesheet applies to the copy of ${name}`);
        await checkAccessibility(copy, name);
        results.set(name, { ok: true, where });
      } catch (error) {
        results.set(name, { error, where });
      } finally {
        await context.close();
      }
    },
  };
}

