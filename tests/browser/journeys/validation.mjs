// The staff's validation queue with the keyboard alone, JavaScript disabled (issue 14): the
// demo's programme staff opens /programme/validation, ticks two measurements and validates
// them at once, then ticks one and sends it back with a comment, at 1280 px and at 320 px, in
// French and in English. axe-core checks the queue and each answer.
//
// It runs on a demo server of its own: the publications journey publishes this year's report,
// which locks the year's measurements, and the demo's submitted measurements are of this year.

import { assert, assertEqual, startServer } from '../lib.mjs';
import { auditor, focus, pressAndLoad, show, tabTo } from '../keyboard.mjs';

const PASSWORD = 'demo-reset-eval-2026';
const STAFF = 'equipe@demo.reset-eval.fr';

const ROUNDS = [
  { width: 1280, height: 900, lang: 'fr' },
  { width: 320, height: 640, lang: 'en' },
  { width: 1280, height: 900, lang: 'en' },
  { width: 320, height: 640, lang: 'fr' },
];

const SAID = {
  fr: {
    validate: 'Valider les mesures cochées',
    sendBack: 'Renvoyer les mesures cochées en brouillon',
    two: '2 mesures enregistrées.',
    one: '1 mesure enregistrée.',
    comment: 'La preuve ne couvre pas tout le semestre.',
  },
  en: {
    validate: 'Validate the ticked measurements',
    sendBack: 'Send the ticked measurements back to draft',
    two: '2 measurements saved.',
    one: '1 measurement saved.',
    comment: 'The evidence does not cover the whole half-year.',
  },
};

const name = (r) => `validation queue at ${r.width} px in ${r.lang}`;

export default function validation({ test, browser }) {
  // Filled when the first test starts the server; the auditor reads `url` when it runs.
  const server = { url: null, stop: async () => {} };
  const axe = auditor(browser, server);

  test('validation: a demo server of its own starts', async () => {
    const started = await startServer({ demo: true });
    server.url = started.url;
    server.stop = started.stop;
  });

  for (const round of ROUNDS) {
    test(`validation: staff validate two measurements at once and send one back, keyboard only, no JS, ${round.width} px, ${round.lang}`, async () => {
      assert(server.url, 'the server started');
      const said = SAID[round.lang];
      const context = await browser.newContext({ javaScript: false, viewport: { width: round.width, height: round.height } });
      const page = await context.newPage();
      try {
        await page.goto(`${server.url}/signin?lang=${round.lang}`, { waitUntil: 'load' });
        await tabTo(page, (el) => el.name === 'email', 'the email field');
        await page.keyboard.type(STAFF);
        await tabTo(page, (el) => el.name === 'password', 'the password field');
        await page.keyboard.type(PASSWORD);
        let response = await pressAndLoad(page, 'Enter');
        assertEqual(response.status(), 200, 'signing in');

        response = await page.goto(`${server.url}/programme/validation?lang=${round.lang}`, { waitUntil: 'load' });
        assertEqual(response.status(), 200, 'the queue');
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(width <= round.width, `nothing scrolls sideways at ${round.width} px (the page is ${width} px wide)`);
        await axe.live(name(round), page.url(), context);
        const before = await page.$$eval('input[name="measurement"]', (boxes) => boxes.map((b) => b.value));
        assert(before.length >= 3, `at least three measurements wait (${before.length})`);

        // Tick the first two, validate them with one button.
        const first = await tabTo(page, (el) => el.name === 'measurement', 'the first measurement box');
        await page.keyboard.press('Space');
        await tabTo(page, (el) => el.name === 'measurement' && el.value !== first.value, 'the second measurement box');
        await page.keyboard.press('Space');
        await tabTo(page, (el) => el.tag === 'button' && el.label === said.validate, `« ${said.validate} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(response.status(), 200, 'validating two measurements at once');
        let text = (await page.textContent('main')).replace(/\s+/g, ' ');
        assert(text.includes(said.two), `« ${said.two} » is said: ${text.slice(0, 300)}`);
        const after = await page.$$eval('input[name="measurement"]', (boxes) => boxes.map((b) => b.value));
        assertEqual(after.length, before.length - 2, 'the two validated measurements left the queue');
        assert(!after.includes(before[0]) && !after.includes(before[1]), 'the two ticked are the two gone');
        if (round.width === 1280 && round.lang === 'fr') await axe.saved('validation answer (two validated)', page);

        // Tick one, say what is missing, send it back.
        const third = await tabTo(page, (el) => el.name === 'measurement', 'a measurement box');
        await page.keyboard.press('Space');
        const checked = await focus(page);
        assert(checked.checked, `Space ticks the box, not ${show(checked)}`);
        await tabTo(page, (el) => el.name === 'comment', 'the comment');
        await page.keyboard.type(said.comment);
        await tabTo(page, (el) => el.tag === 'button' && el.label === said.sendBack, `« ${said.sendBack} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(response.status(), 200, 'sending one back with a comment');
        text = (await page.textContent('main')).replace(/\s+/g, ' ');
        assert(text.includes(said.one), `« ${said.one} » is said`);
        const left = await page.$$eval('input[name="measurement"]', (boxes) => boxes.map((b) => b.value));
        assert(!left.includes(third.value), 'the measurement sent back left the queue');
        if (round.width === 320 && round.lang === 'en') await axe.saved('validation answer (one sent back)', page);
      } finally {
        await context.close();
      }
    });
  }

  test('validation: the demo server of its own stops', async () => {
    await server.stop();
  });

  for (const audited of [...ROUNDS.map(name), 'validation answer (two validated)', 'validation answer (one sent back)']) {
    test(`validation: axe-core finds no violation on ${audited}`, () => {
      const result = axe.results.get(audited);
      assert(result, `${audited} was not reached by the journey`);
      if (result.error) throw new Error(`${result.where}: ${result.error.message}`);
    });
  }
}
