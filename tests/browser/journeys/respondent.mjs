// A respondent's journey through a shared link (issue 14), with the keyboard alone and
// JavaScript off, in French at 1280 px and in English at 320 px (and the two other pairs):
// they start, skip a question, save for later and are shown their personal link, reopen the
// shared link and are taken back to their response, resume at the step where they stopped,
// jump to a step from the list of steps, review, change an answer from the review, and send.
// axe-core checks every page met, in a separate JavaScript context. The respondent's pages
// offer no account links, but a way back to their response.
//
// The journey has a server of its own, with the demo data (its lead opens the diagnostic and
// makes the shared link, by plain form filling: that is set-up, not the journey) and a low
// minimum coverage (APP_MIN_ANSWERED_SHARE), so that a few answers are enough to send.

import { assert, assertEqual, assertVisibleFocus, startServer } from '../lib.mjs';
import { auditor, focus, path, pressAndLoad, show, skipToContent, tabTo } from '../keyboard.mjs';

const LEAD = { email: 'lead@demo.reset-eval.fr', password: 'demo-reset-eval-2026' };

const TEXT = {
  fr: {
    start: 'Commencer',
    toQuestions: 'Aller aux questions',
    next: 'Enregistrer et continuer',
    later: 'Enregistrer et reprendre plus tard',
    saved: 'Vos réponses sont enregistrées.',
    resume: (n) => `Reprendre à l'étape ${n}`,
    partly: 'en partie (1 sans réponse)',
    step: (n) => `Étape ${n}`,
    review: 'Relire et envoyer',
    change: 'Modifier',
    unanswered: 'Sans réponse',
    send: 'Envoyer mes réponses',
    back: 'Ma réponse',
    switchTo: 'English',
  },
  en: {
    start: 'Start',
    toQuestions: 'Go to the questions',
    next: 'Save and continue',
    later: 'Save and resume later',
    saved: 'Your answers are saved.',
    resume: (n) => `Resume at step ${n}`,
    partly: 'partly done (1 unanswered)',
    step: (n) => `Step ${n}`,
    review: 'Review and submit',
    change: 'Change',
    unanswered: 'Unanswered',
    send: 'Submit my answers',
    back: 'My response',
    switchTo: 'Français',
  },
};

const RUNS = [
  { lang: 'fr', width: 1280 },
  { lang: 'en', width: 320 },
  { lang: 'fr', width: 320 },
  { lang: 'en', width: 1280 },
];

/** The lead of the demo opens a diagnostic and makes a shared link: set-up, by plain filling. */
async function sharedLink(browser, server) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/signin`, { waitUntil: 'load' });
    await page.fill('input[name=email]', LEAD.email);
    await page.fill('input[name=password]', LEAD.password);
    await Promise.all([page.waitForNavigation(), page.press('input[name=password]', 'Enter')]);
    await page.goto(`${server.url}/organisations`, { waitUntil: 'load' });
    const organisation = await page.$eval('main a[href^="/organisations/"]:not([href$="/new"])', (a) => a.getAttribute('href'));
    await page.goto(`${server.url}${organisation}`, { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Ouvrir un nouvel autodiagnostic")')]);
    assert(/^\/diagnostics\/[^/]+$/.test(path(page)), `opening a diagnostic led to ${page.url()}`);
    const role = await page.$eval('select[name=role] option:not([value=""])', (o) => o.value);
    await page.selectOption('select[name=role]', role);
    await page.fill('input[name=label]', 'Tous les agents');
    await page.check('input[name=shared][value="1"]');
    await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Créer le lien")')]);
    const link = await page.$eval('table.invitations tbody tr input.link', (c) => c.value.trim());
    assert(/\/r\/[0-9a-f]{64}$/.test(link), `the shared link shown is « ${link} »`);
    return link;
  } finally {
    await context.close();
  }
}

/**
 * Tabs through the step from where focus is, answering every question with the keyboard but
 * those `skip` names, until `stopAt(focused)`: radios Space (the first choice), a checkbox
 * Space, numbers typed; texts are left (optional).
 */
async function answerStep(page, { skip = new Set(), stopAt, limit = Infinity }) {
  let answered = 0;
  for (let presses = 0; presses < 300; presses++) {
    await page.keyboard.press('Tab');
    const el = await focus(page);
    if (stopAt(el)) return { el, answered };
    const id = el.question?.replace(/^q-/, '');
    if (!id || skip.has(id) || answered >= limit || el.name !== `a.${id}`) continue;
    if (el.type === 'radio') {
      const any = await page.$$eval(`main form [name="${el.name}"]`, (rs) => rs.some((r) => r.checked));
      if (any) continue;
      await page.keyboard.press('Space');
      assert((await focus(page)).checked, `Space did not choose ${show(el)}`);
      answered++;
    } else if (el.type === 'checkbox') {
      const any = await page.$$eval(`main form [name="${el.name}"]`, (cs) => cs.some((c) => c.checked));
      if (any || /^aucun/.test(el.value)) continue;
      await page.keyboard.press('Space');
      answered++;
    } else if (el.tag === 'input' && el.value === '') {
      await page.keyboard.type('10');
      answered++;
    }
  }
  throw new Error(`on ${page.url()}, Tab never reached where the step stops`);
}

/** The page fits the viewport's width: nothing to scroll sideways. */
async function assertFits(page, width, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= width, `${what} is ${wide} px wide at ${width} px`);
}

/** No account links in the header of a respondent's page; the way back to the response. */
async function assertJourneyHeader(page, t, token, what) {
  const links = await page.$$eval('header nav a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })));
  for (const away of ['/signin', '/signup']) {
    assert(!links.some((l) => l.href === away), `${what}: the header offers ${away}`);
  }
  if (token) {
    assert(links.some((l) => l.href === `/r/${token}` && l.text === t.back), `${what}: no « ${t.back} » in the header: ${JSON.stringify(links)}`);
  }
}

export default function respondent({ test, browser }) {
  const state = {};
  const audits = [];

  test('respondent: the journey\'s server starts, and the demo lead makes a shared link', async () => {
    state.server = await startServer({ demo: true, env: { APP_MIN_ANSWERED_SHARE: '0.1' } });
    state.link = await sharedLink(browser, state.server);
  });

  for (const { lang, width } of RUNS) {
    const t = TEXT[lang];
    const name = `respondent (${lang}, ${width} px)`;
    test(`${name}: skips a question, saves for later, reopens the shared link, resumes, jumps, reviews, changes an answer and sends, with the keyboard (no JS)`, async () => {
      const server = state.server;
      if (!state.link) throw new Error('not run: the shared link was not made');
      const axe = auditor(browser, server);
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      // The results page is not the respondent's journey's (its wide tables are being put in
      // scroll containers elsewhere): only axe-core checks it here.
      const seen = async (what, page, { fits = true } = {}) => {
        if (fits) await assertFits(page, width, what);
        await axe.live(`${name}: ${what}`, page.url(), context);
      };
      try {
        const page = await context.newPage();
        let response = await page.goto(state.link, { waitUntil: 'load' });
        assertEqual(response.status(), 200, 'HTTP status of the shared link');
        if (lang === 'en') {
          // The language switch, in the header, with the keyboard.
          await tabTo(page, (e) => e.inHeaderNav && e.lang === 'en', 'the language switch « English »', { max: 10 });
          await assertVisibleFocus(page, 'the language switch');
          response = await pressAndLoad(page, 'Enter');
          assertEqual(await page.getAttribute('html', 'lang'), 'en', '<html lang> after the switch');
        }
        await assertJourneyHeader(page, t, null, 'the introduction');
        await seen('introduction', page);

        // Start: the response's own link, shown to keep.
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'button' && e.label === t.start, `the button « ${t.start} »`);
        await assertVisibleFocus(page, `the button « ${t.start} »`);
        response = await pressAndLoad(page, 'Enter');
        const token = path(page).replace(/^\/r\//, '');
        assert(/^[0-9a-f]{64}$/.test(token) && !state.link.endsWith(token), `the page after « ${t.start} » is ${path(page)}`);
        assertEqual((await page.textContent('main code.link')).trim(), `${server.url}/r/${token}`, 'the personal link shown after starting');
        await seen('personal link after starting', page);

        // Step 1: every question but the first.
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'a' && e.label === t.toQuestions, `the link « ${t.toQuestions} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/step/1`, 'page of the first step');
        await assertJourneyHeader(page, t, token, 'step 1');
        await seen('step 1', page);
        const first = await page.$eval('main fieldset.question', (f) => f.id.replace(/^q-/, ''));
        await skipToContent(page);
        const isNext = (e) => e.tag === 'button' && e.name === 'action' && e.value === 'next';
        let { el, answered } = await answerStep(page, { skip: new Set([first]), stopAt: isNext });
        assert(answered > 3, `answered ${answered} questions of step 1`);
        assertEqual(el.label, t.next, 'the first button of the step');
        await assertVisibleFocus(page, `« ${t.next} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(response.status(), 200, 'HTTP status after continuing with a question skipped');
        assertEqual(path(page), `/r/${token}/step/2`, 'a question left blank does not hold the person back');
        const list = await page.textContent('main nav.steps');
        assert(list.replace(/\s+/g, ' ').includes(`${t.step(1)} — `) && list.includes(t.partly),
          `the list of steps does not mark step 1 « ${t.partly} »: ${list.replace(/\s+/g, ' ')}`);
        await seen('step 2', page);

        // Step 2: one answer, then « save and resume later »: confirmed, with the link to keep.
        await skipToContent(page);
        const isLater = (e) => e.tag === 'button' && e.value === 'save';
        ({ el } = await answerStep(page, { stopAt: isLater, limit: 1 }));
        assertEqual(el.label, t.later, 'the button to save for later');
        await assertVisibleFocus(page, `« ${t.later} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}`, 'page after saving for later');
        const confirmation = await page.textContent('main [role=status]');
        assert(confirmation.includes(t.saved), `no confirmation: « ${confirmation.trim().slice(0, 200)} »`);
        assert(confirmation.includes(`${server.url}/r/${token}`), 'the confirmation shows the personal link to keep');
        await seen('saved for later', page);

        // The shared link again, in the same browser: back to this response, not « Start ».
        response = await page.goto(state.link, { waitUntil: 'load' });
        assertEqual(path(page), `/r/${token}`, 'the shared link reopened in the same browser');
        assert(!(await page.$('main form[action$="/start"]')), 'the shared link offers to start again');

        // Resume: at step 2, where the person stopped.
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'a' && e.label === t.resume(2), `the link « ${t.resume(2)} »`);
        await assertVisibleFocus(page, `« ${t.resume(2)} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/step/2`, 'resuming');

        // Jump to step 5 from the list of steps (this page is saved on the way).
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'button' && e.value === 'step-5', `the button « ${t.step(5)} » of the list of steps`, { max: 200 });
        await assertVisibleFocus(page, `the button « ${t.step(5)} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/step/5`, 'jumping to step 5');
        await seen('step 5', page);

        // Review, from the list of steps.
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'button' && e.value === 'review', `the button « ${t.review} »`, { max: 200 });
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/review`, 'the review');
        await assertJourneyHeader(page, t, token, 'the review');
        await seen('review', page);
        const skippedAnswer = await page.$eval(`main a[href$="/step/1#q-${first}"]`, (a) => a.closest('dd').textContent);
        assert(skippedAnswer.includes(t.unanswered), `the skipped question reads « ${skippedAnswer.trim()} »`);

        // Change the skipped answer from the review.
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'a' && (e.href ?? '').endsWith(`/step/1#q-${first}`), `the link « ${t.change} » of the skipped question`, { max: 200 });
        await assertVisibleFocus(page, `« ${t.change} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/step/1`, 'the change link leads to step 1');
        const isReview = (e) => e.tag === 'button' && e.value === 'review';
        ({ el, answered } = await answerStep(page, { stopAt: isReview }));
        assertEqual(answered, 1, 'the question answered after following the change link');
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/review`, 'back to the review');
        const changed = await page.$eval(`main a[href$="/step/1#q-${first}"]`, (a) => a.closest('dd').textContent);
        assert(!changed.includes(t.unanswered), `the changed question still reads « ${changed.trim()} »`);

        // Send.
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'button' && e.label === t.send, `the button « ${t.send} »`, { max: 300 });
        await assertVisibleFocus(page, `« ${t.send} »`);
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/results`, 'page after sending');
        assertEqual(response.status(), 200, 'HTTP status of the respondent results');
        await seen('results', page, { fits: false });
        audits.push(...axe.results.entries());
      } finally {
        await context.close();
      }
    });
  }

  test('respondent: axe-core, every page met in both languages and widths: no serious or critical violation', () => {
    if (audits.length === 0) throw new Error('not checked: the journeys did not run');
    const failed = audits.filter(([, result]) => result.error).map(([page, result]) => `${page}: ${result.error.message}`);
    if (failed.length > 0) throw new Error(failed.join('\n'));
  });

  test('respondent: the journey\'s server logged no error, and stops', async () => {
    const server = state.server;
    if (!server) throw new Error('not run: the server did not start');
    const plain = server.stderr().replace(/\x1b\[[0-9;]*m/g, '');
    await server.stop();
    const errors = plain.split('\n').filter((line) => /\bERROR\b/.test(line));
    if (errors.length > 0) throw new Error(`the server logged:\n  ${errors.join('\n  ')}`);
  });
}
