// A coalition's impact tracking with the keyboard alone, JavaScript disabled: the demo lead
// (co-porteur of « achat public responsable ») signs in, finds the coalition from their page,
// opens an indicator, enters a measurement that is rejected (future date, zero denominator),
// follows the error summary to fix it and submits it; programme staff then validate it. axe-core
// checks every page met, and the public coalition pages, in a separate JavaScript context.

import { assert, assertEqual, assertVisibleFocus } from '../lib.mjs';
import { auditor, focus, path, pressAndLoad, show, tabTo, typeInFocused } from '../keyboard.mjs';


const COALITION = '/coalitions/achat-public-responsable';
const PASSWORD = 'demo-reset-eval-2026';

const AUDITED = [
  'coalitions list',
  'coalition page (public)',
  'actions board (public)',
  'journal (public)',
  'members (public)',
  'actions board with forms (co-porteur)',
  'journal with forms (co-porteur)',
  'members with forms (co-porteur)',
  'coalition edit form (co-porteur)',
  'programme overview (staff)',
  'new coalition form (staff)',
  'reports page (staff)',
  'yearly report (staff)',
  'coalition page (co-porteur)',
  'indicator page (co-porteur)',
  'baseline form (co-porteur)',
  'measurement form with errors (422)',
  'measurement page (submitted)',
  'new goal form',
  'new indicator form',
  'measurement page (validated, staff)',
];

/** Signs in through the form with the keyboard; lands on the account's organisations. */
async function signIn(page, server, email) {
  await page.goto(`${server.url}/signin`, { waitUntil: 'load' });
  await tabTo(page, (el) => el.name === 'email', 'the email field');
  await page.keyboard.type(email);
  await tabTo(page, (el) => el.name === 'password', 'the password field');
  await page.keyboard.type(PASSWORD);
  const response = await pressAndLoad(page, 'Enter');
  assertEqual(response.status(), 200, `signing in as ${email}`);
}

export default function coalitions({ test, server, browser }) {
  const axe = auditor(browser, server);
  let measurementPath = null;

  test('coalitions: the public pages of a coalition pass axe-core', async () => {
    await axe.live('coalitions list', `${server.url}/coalitions`);
    await axe.live('coalition page (public)', `${server.url}${COALITION}`);
    await axe.live('actions board (public)', `${server.url}${COALITION}/actions`);
    await axe.live('journal (public)', `${server.url}${COALITION}/journal`);
    await axe.live('members (public)', `${server.url}${COALITION}/members`);
  });

  test('coalitions: a co-porteur enters a measurement by keyboard, fixes it and submits it (no JS)', async () => {
    // Chromium's date fields follow its interface language (English here, whatever the page's
    // locale): digits typed fill month, day, then year.
    const context = await browser.newContext({ javaScript: false });
    const page = await context.newPage();
    try {
      await signIn(page, server, 'lead@demo.reset-eval.fr');
      assertEqual(path(page), '/organisations', 'page after signing in');
      // « Mes coalitions » lists the coalition with the role.
      await tabTo(page, (el) => el.href === COALITION, 'the coalition in « Mes coalitions »');
      await assertVisibleFocus(page, 'the coalition link');
      let response = await pressAndLoad(page, 'Enter');
      assertEqual(response.status(), 200, 'HTTP status of the coalition page');
      await axe.live('coalition page (co-porteur)', page.url(), context);
      const body = await page.textContent('main');
      for (const expected of ['Objectifs d\'impact et indicateurs', 'En bonne voie', 'Ajouter un objectif d\'impact']) {
        assert(body.includes(expected), `the co-porteur's coalition page shows « ${expected} »`);
      }
      await axe.live('new goal form', `${server.url}${COALITION}/goals/new`, context);
      await axe.live('actions board with forms (co-porteur)', `${server.url}${COALITION}/actions`, context);
      await axe.live('journal with forms (co-porteur)', `${server.url}${COALITION}/journal`, context);
      await axe.live('members with forms (co-porteur)', `${server.url}${COALITION}/members`, context);
      await axe.live('coalition edit form (co-porteur)', `${server.url}${COALITION}/edit`, context);
      const indicatorForm = await page.getAttribute('a[href$="/indicators/new"]', 'href');
      await axe.live('new indicator form', server.url + indicatorForm, context);

      await tabTo(page, (el) => (el.href ?? '').includes('/indicators/') && el.label.startsWith('APR-1'), 'the indicator APR-1');
      response = await pressAndLoad(page, 'Enter');
      assertEqual(response.status(), 200, 'HTTP status of the indicator page');
      await axe.live('indicator page (co-porteur)', page.url(), context);
      await axe.live('baseline form (co-porteur)', `${page.url()}/baseline`, context);
      assert((await page.$$('main svg.trajectory-chart')).length === 1, 'the trajectory chart is drawn');

      // « Saisir une mesure » is the page's first form (issue 14): fill it wrongly.
      await tabTo(page, (el) => el.name === 'measured_on' && el.id === 'measured_on' && el.value === '', 'the measurement date');
      await page.keyboard.type('12312099');
      await tabTo(page, (el) => el.name === 'numerator', 'the numerator');
      await page.keyboard.type('12');
      await tabTo(page, (el) => el.name === 'denominator', 'the denominator');
      await page.keyboard.type('0');
      await tabTo(page, (el) => el.name === 'comment', 'the comment');
      await page.keyboard.type('Relevé du premier semestre');
      await tabTo(page, (el) => el.tag === 'button' && el.label.includes('Soumettre pour validation'), 'the submit button');
      response = await pressAndLoad(page, 'Enter');
      assertEqual(response.status(), 422, 'a future date and a zero denominator are refused');
      const summary = await focus(page);
      assert(summary.inErrorSummary || (await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))),
        `focus starts on the error summary, not ${show(summary)}`);
      const text = await page.textContent('main');
      const said = (await page.textContent('main .error-summary')) ?? '';
      assert(said.includes('est dans le futur'), `the date error is said: ${said.replace(/\s+/g, ' ')}`);
      assert(text.includes('strictement positif'), 'the denominator error is said');
      assertEqual(await page.inputValue('#comment'), 'Relevé du premier semestre', 'the comment comes back');
      await axe.saved('measurement form with errors (422)', page);

      // The summary's link leads to the date field; fix it, then the denominator.
      await tabTo(page, (el) => el.inErrorSummary && el.href === '#measured_on', 'the date error in the summary');
      await page.keyboard.press('Enter');
      const date = await focus(page);
      assertEqual(date.name, 'measured_on', 'the summary link moves focus to the date field');
      // Focus is on the field's first segment: month, day, year overwrite the wrong date.
      await page.keyboard.type('06302026');
      await tabTo(page, (el) => el.name === 'denominator', 'the denominator');
      await typeInFocused(page, '20');
      await tabTo(page, (el) => el.tag === 'button' && el.label.includes('Soumettre pour validation'), 'the submit button');
      response = await pressAndLoad(page, 'Enter');
      if (response.status() !== 200) {
        const still = (await page.textContent('main .error-summary')) ?? '';
        throw new Error(`the corrected measurement is refused (${response.status()}): ${still.replace(/\s+/g, ' ')}; date field: ${await page.inputValue('#measured_on')}`);
      }
      assert(path(page).includes('/measurements/'), `lands on the measurement's page, not ${path(page)}`);
      measurementPath = path(page);
      const recorded = await page.textContent('main');
      assert(recorded.includes('Soumise') && recorded.includes('60 % (12 / 20)'), 'the measurement is submitted, 12 of 20');
      await axe.live('measurement page (submitted)', page.url(), context);
    } finally {
      await context.close();
    }
  });

  test('coalitions: programme staff validate the submitted measurement by keyboard (no JS)', async () => {
    assert(measurementPath, 'the previous test recorded a measurement');
    const context = await browser.newContext({ javaScript: false });
    const page = await context.newPage();
    try {
      await signIn(page, server, 'equipe@demo.reset-eval.fr');
      await page.goto(server.url + measurementPath, { waitUntil: 'load' });
      await tabTo(page, (el) => el.tag === 'button' && el.label.includes('Valider la mesure'), '« Valider la mesure »');
      const response = await pressAndLoad(page, 'Enter');
      assertEqual(response.status(), 200, 'validation answers with the measurement page');
      const status = await page.textContent('main dl.meta');
      assert(status.includes('Validée'), 'the measurement is validated');
      await axe.live('measurement page (validated, staff)', page.url(), context);
      await axe.live('programme overview (staff)', `${server.url}/programme`, context);
      await axe.live('new coalition form (staff)', `${server.url}/coalitions/new`, context);
      await axe.live('reports page (staff)', `${server.url}/reports`, context);
      // The yearly report itself: produced from the reports page, then read as staff.
      await page.goto(`${server.url}/reports`, { waitUntil: 'load' });
      await tabTo(page, (el) => el.tag === 'button' && el.label.includes('Produire le brouillon'), '« Produire le brouillon du rapport »');
      const produced = await pressAndLoad(page, 'Enter');
      assertEqual(produced.status(), 200, 'asking for the report lands on the reports page');
      // The form offers the current year first. The draft is produced by a background job:
      // the reports page reloads itself meanwhile; here we look until the draft is there.
      const year = new Date().getFullYear();
      const deadline = Date.now() + 90_000;
      for (;;) {
        const shown = await page.goto(`${server.url}/reports/${year}`, { waitUntil: 'load' });
        if (shown.status() === 200) break;
        if (Date.now() > deadline) throw new Error(`the draft report of ${year} was not there after 90 s (last status ${shown.status()})`);
        await page.waitForTimeout(1000);
      }
      await axe.live('yearly report (staff)', `${server.url}/reports/${year}`, context);
    } finally {
      await context.close();
    }
  });

  for (const name of AUDITED) {
    test(`coalitions: axe-core finds no violation on ${name}`, () => {
      const result = axe.results.get(name);
      assert(result, `${name} was not reached by the journey`);
      if (result.error) throw new Error(`${result.where}: ${result.error.message}`);
    });
  }
}
