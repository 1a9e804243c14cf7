// What holds on every page, checked on the demo's public pages in both languages: they fit a
// 320 px screen (wide tables scroll in their own named, focusable region), dates are written
// the language's way, French text people typed says so on English pages, the heatmap's levels
// stay apart in grey and for red-green colour blindness, and date and URL fields look like the
// others. JavaScript is off in every context, as for a visitor.

import { assert, assertEqual, assertFitsNarrowScreen } from '../lib.mjs';

const COALITION = '/coalitions/achat-public-responsable';

/** Public pages of the demo, in the language each is served in. */
const PAGES = [
  { path: '/', lang: 'fr' },
  { path: '/coalitions', lang: 'fr' },
  { path: '/coalitions?lang=en', lang: 'en' },
  { path: COALITION, lang: 'fr' },
  { path: `${COALITION}?lang=en`, lang: 'en' },
  { path: `${COALITION}/actions`, lang: 'fr' },
  { path: `${COALITION}/actions?lang=en`, lang: 'en' },
  { path: `${COALITION}/journal`, lang: 'fr' },
  { path: '/publications', lang: 'fr' },
  { path: '/signup', lang: 'fr' },
];

async function withPage(browser, url, fn) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: 'load' });
    assertEqual(response.status(), 200, `HTTP status of ${url}`);
    return await fn(page);
  } finally {
    await context.close();
  }
}

// Colour arithmetic of WCAG 2.1 and of Machado, Oliveira and Fernandes (2009), severity 1.
const channel = (v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const linear = (css) => {
  const m = css.match(/rgba?\(\s*(\d+),\s*(\d+),\s*(\d+)/);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [m[1], m[2], m[3]].map((v) => channel(Number(v)));
};
const luminance = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
const simulate = (matrix) => (rgb) => matrix.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])));
const PROTANOPIA = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];
const DEUTERANOPIA = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]];
const VIEWS = {
  'grey print': (rgb) => luminance(rgb),
  protanopia: (rgb) => luminance(simulate(PROTANOPIA)(rgb)),
  deuteranopia: (rgb) => luminance(simulate(DEUTERANOPIA)(rgb)),
};
const contrast = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

export default function everywhere({ test, server, browser }) {
  for (const { path, lang } of PAGES) {
    test(`everywhere: ${path} fits 320 px; its wide tables scroll in a named region; dates read in ${lang} (no JS)`, () =>
      withPage(browser, server.url + path, async (page) => {
        assertEqual(await page.getAttribute('html', 'lang'), lang, `<html lang> of ${path}`);
        await assertFitsNarrowScreen(page, path);
        const tables = await page.$$eval('main table', (all) =>
          all.map((t) => {
            const region = t.parentElement;
            const label = region?.getAttribute('aria-labelledby');
            return {
              html: t.outerHTML.slice(0, 80),
              inRegion: region?.classList.contains('table-scroll') && region.getAttribute('role') === 'region' &&
                region.getAttribute('tabindex') === '0',
              name: (label ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent.trim() ?? '').join(' ').trim(),
            };
          }));
        for (const t of tables) {
          assert(t.inRegion, `${path}: a table outside a focusable scroll region: ${t.html}`);
          assert(t.name, `${path}: a table's region is not named by a caption or heading: ${t.html}`);
        }
        const names = tables.map((t) => t.name);
        const twice = names.find((n, i) => names.indexOf(n) !== i);
        assert(!twice, `${path}: two table regions are both named « ${twice} »`);
        const text = await page.$eval('main', (m) => m.innerText);
        const iso = text.match(/\b\d{4}-\d{2}-\d{2}\b/);
        assert(!iso, `${path}: a date written as « ${iso?.[0]} » instead of « 6 décembre 2026 »`);
        const slashed = text.match(/\b\d{2}\/\d{2}\/\d{4}\b/);
        assert(!slashed, `${path}: a date written as « ${slashed?.[0]} »`);
      }));
  }

  test('everywhere: on the English coalition page, French text people typed is marked lang="fr" (no JS)', () =>
    withPage(browser, `${server.url}${COALITION}?lang=en`, async (page) => {
      const goals = await page.$$eval('section.goal h3', (hs) => hs.map((h) => ({
        text: h.textContent.trim(),
        french: !!h.querySelector('[lang="fr"]') || h.closest('[lang]').getAttribute('lang') === 'fr',
      })));
      assert(goals.length > 0, 'the demo coalition shows its impact goals');
      for (const g of goals) assert(g.french, `the goal « ${g.text} » is not marked as French`);
      const indicators = await page.$$eval('table.indicators th[scope=row] a', (as) =>
        as.map((a) => ({ text: a.textContent.trim(), french: !!a.querySelector('[lang="fr"]') })));
      for (const i of indicators) assert(i.french, `the indicator « ${i.text} » is not marked as French`);
    }));

  test('everywhere: the heatmap\'s adjacent levels stay apart in grey and for protanopia and deuteranopia, figures readable (no JS)', () =>
    withPage(browser, server.url + COALITION, async (page) => {
      const levels = await page.$$eval('.legend .swatch', (spans) =>
        spans.map((s) => ({ name: s.textContent.trim(), background: getComputedStyle(s).backgroundColor })));
      assertEqual(levels.length, 4, 'swatches in the heatmap\'s legend');
      for (const [view, seen] of Object.entries(VIEWS)) {
        for (let k = 1; k < levels.length; k++) {
          const before = seen(linear(levels[k - 1].background));
          const after = seen(linear(levels[k].background));
          assert(after < before, `${view}: « ${levels[k].name} » is not darker than « ${levels[k - 1].name} »`);
          const ratio = contrast(before, after);
          assert(ratio >= 1.3, `${view}: « ${levels[k - 1].name} » and « ${levels[k].name} » look alike (${ratio.toFixed(2)}:1)`);
        }
      }
      const cells = await page.$$eval('table.heatmap td[class*="level-"]', (tds) =>
        tds.map((td) => ({
          text: td.textContent.trim(),
          level: [...td.classList].find((c) => c.startsWith('level-')),
          background: getComputedStyle(td).backgroundColor,
          color: getComputedStyle(td).color,
        })));
      assert(cells.length >= 21, `the heatmap has ${cells.length} cells`);
      assert(cells.some((c) => c.level !== 'level-none'), 'the demo heatmap shows levels');
      for (const c of cells) {
        assert(/^(\d+|—)$/.test(c.text), `a heatmap cell shows « ${c.text} », not its figure`);
        const ratio = contrast(luminance(linear(c.background)), luminance(linear(c.color)));
        assert(ratio >= 4.5, `the figure « ${c.text} » on ${c.level} has a contrast of ${ratio.toFixed(2)}:1`);
      }
    }));

  test('everywhere: date and URL fields are styled like the text fields (no JS)', () =>
    withPage(browser, `${server.url}/signup`, async (page) => {
      // The sign-up form has a text field; date and URL fields of the same form component
      // are added beside it, so that the stylesheet is the page's own.
      const looks = await page.evaluate(() => {
        const field = document.querySelector('main input[type=text], main input[type=email]').closest('.field');
        const look = (type) => {
          const copy = field.cloneNode(true);
          const input = copy.querySelector('input');
          input.type = type;
          input.id = `look-${type}`;
          field.after(copy);
          const s = getComputedStyle(input);
          return { type, height: input.getBoundingClientRect().height, width: input.getBoundingClientRect().width, border: s.borderTopWidth + ' ' + s.borderTopStyle + ' ' + s.borderTopColor, font: s.fontSize, padding: s.paddingLeft };
        };
        return [look('text'), look('date'), look('url')];
      });
      const [text, ...others] = looks;
      for (const other of others) {
        for (const key of ['border', 'font', 'padding', 'width']) {
          assertEqual(other[key], text[key], `${key} of a ${other.type} field (the text field's is ${text[key]})`);
        }
        assert(Math.abs(other.height - text.height) <= 2, `a ${other.type} field is ${other.height} px high, a text field ${text.height} px`);
      }
    }));
}
