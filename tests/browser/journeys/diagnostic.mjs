// A whole autodiagnostic with the keyboard alone, JavaScript disabled: a lead signs up,
// registers a commune, opens a diagnostic and creates three personal links; three respondents
// (elu, agent, dsi: organisation figures need 3), each in a fresh context, answer the 7 steps (one page deliberately rejected
// for a word typed as a number, then fixed), review and submit; the lead reads the organisation's results in French and in
// English. axe-core checks every distinct page met, in a separate JavaScript context: the
// same URL with the same cookies, or, for a page that only a POST returns (422), a copy of its
// HTML loaded under a <base href> so that the stylesheet applies.
//
// Keyboard only: Tab, Shift+Tab, Space, Enter, arrow keys and typing into the focused field.
// `page.goto` opens only the start page and the invitation links, as a person pastes a link.

import { assert, assertEqual, assertVisibleFocus, checkAccessibility, linkInMail } from '../lib.mjs';
import {
  auditor,
  chooseInSelect,
  focus,
  path,
  pressAndLoad,
  show,
  skipToContent,
  tabTo,
  typeInFocused,
} from '../keyboard.mjs';

const STEPS = 7;

const AUDITED = [
  'sign-up',
  'sign-up: check your mailbox',
  'sign-up: confirm the address',
  'organisation form',
  'organisation form with errors (422)',
  'organisation page',
  'diagnostic page, no link yet',
  'diagnostic page with three links',
  'invitations by e-mail',
  'organisation managers',
  'introduction',
  'personal link after starting',
  ...Array.from({ length: STEPS }, (_, i) => `step ${i + 1}`),
  'step 2 with an error (422)',
  'review',
  'respondent results',
  'organisation results (fr)',
  'organisation results (en)',
];

// ---------------------------------------------------------------------------------------------
// Answering a step.

/** The questions of the step page: id, whether it is a radio group, its real options. */
async function questionsOf(page) {
  return page.$$eval('main form fieldset.question', (sets) =>
    sets.map((set) => {
      const id = set.id.replace(/^q-/, '');
      const answers = [...set.querySelectorAll(`[name="a.${id}"]`)];
      const kind =
        answers[0]?.type === 'radio' ? 'radio'
        : answers[0]?.type === 'checkbox' ? 'multiple'
        : answers[0]?.tagName === 'TEXTAREA' ? 'text'
        : 'number';
      return {
        id,
        kind,
        optional: !!set.querySelector('legend .optional'),
        options: answers.map((a) => a.value).filter((v) => !v.startsWith('__')),
        dontKnow: !!set.querySelector(`[value="__dk"]`),
        range: set.querySelector('.number-field .hint')?.textContent ?? '',
      };
    }),
  );
}

/** What is filled in the form: « name=value » for every checked box and every typed field. */
async function formState(page) {
  return page.$$eval('main form [name]', (fields) =>
    fields
      .filter((f) => f.name !== '_csrf' && f.name !== 'action')
      .filter((f) => (f.type === 'radio' || f.type === 'checkbox' ? f.checked : f.value !== ''))
      .map((f) => `${f.name}=${f.value}`)
      .sort(),
  );
}

/** Which scored questions of the page have neither an answer nor a special choice. */
async function unanswered(page) {
  return page.$$eval('main form fieldset.question', (sets) =>
    sets
      .filter((set) => !set.querySelector('legend .optional'))
      .filter((set) => {
        const id = set.id.replace(/^q-/, '');
        const picked = [...set.querySelectorAll(`[name="a.${id}"], [name="s.${id}"]`)].some((f) =>
          f.type === 'radio' || f.type === 'checkbox' ? f.checked : f.value.trim() !== '',
        );
        return !picked;
      })
      .map((set) => set.id),
  );
}

function numberFor(range, seed) {
  const max = Number((range.match(/(?:\bet|Au plus)\s+(\d+(?:[.,]\d+)?)\s*$/) ?? [])[1]?.replace(',', '.'));
  if (Number.isFinite(max) && max < 100) return String(Math.max(1, Math.round(max * (0.3 + 0.3 * seed))));
  return String(30 + 30 * seed); // « e.g. 30 »: a share in %, people for 10,000 inhabitants…
}

/**
 * Tabs through the step from where focus is, answering what `plan(question)` says
 * ('answer', 'dk' or 'skip'), until « Enregistrer et continuer » has focus (or, with
 * `submitFromField`, a filled text field once everything is answered). Radios: Tab into the
 * group, Space or arrow keys; checkboxes: Space; numbers and texts: typing.
 */
async function answerByKeyboard(page, { questions, plan, seed, submitFromField = false, log }) {
  const byId = new Map(questions.map((q, i) => [q.id, { ...q, index: i }]));
  for (let presses = 0; presses < 250; presses++) {
    await page.keyboard.press('Tab');
    const el = await focus(page);
    if (el.tag === 'button' && el.name === 'action' && el.value === 'next') return el;
    if (!el.question) continue;
    const q = byId.get(el.question.replace(/^q-/, ''));
    if (!q) continue;
    const mode = plan(q);
    if (el.type === 'radio' && el.name === `a.${q.id}`) {
      const checked = await page.$eval(`main form`, (f, name) => !!f.querySelector(`[name="${name}"]:checked`), el.name);
      if (checked || mode === 'skip') continue;
      if (!log.radioFocus) {
        await assertVisibleFocus(page, `the first radio of question ${q.id}`);
        log.radioFocus = true;
      }
      const values = await page.$$eval(`main form [name="${el.name}"]`, (rs) => rs.map((r) => r.value));
      const target = mode === 'dk' && q.dontKnow ? '__dk' : q.options[(q.index * 3 + seed) % q.options.length];
      const at = values.indexOf(el.value);
      const want = values.indexOf(target);
      if (want === at) await page.keyboard.press('Space');
      for (let i = at; i < want; i++) await page.keyboard.press('ArrowDown');
      const now = await focus(page);
      assert(now.checked && now.value === target,
        `question ${q.id}: arrow keys left ${show(now)} (checked: ${now.checked}), not the choice « ${target} »`);
      log.radios++;
    } else if (el.type === 'checkbox' && el.name === `a.${q.id}`) {
      if (mode !== 'answer' || el.checked || /^aucun/.test(el.value)) continue;
      const any = await page.$$eval(`main form [name="${el.name}"]`, (cs) => cs.some((c) => c.checked));
      if (any) continue;
      await page.keyboard.press('Space');
      assert((await focus(page)).checked, `Space did not tick ${show(el)}`);
      log.checkboxes++;
    } else if (el.type === 'checkbox' && el.name === `s.${q.id}`) {
      if (mode !== 'dk' || el.value !== '__dk' || el.checked) continue;
      await page.keyboard.press('Space');
      assert((await focus(page)).checked, `Space did not tick « Je ne sais pas » of ${q.id}`);
      log.dontKnow++;
    } else if (el.tag === 'input' && el.name === `a.${q.id}`) {
      if (el.value === '' && mode === 'answer') {
        await page.keyboard.type(numberFor(q.range, seed));
        log.numbers++;
      } else if (el.value === '' && mode === 'bad') {
        await page.keyboard.type('beaucoup');
      } else if (mode === 'retype' && !/^\d/.test(el.value)) {
        await page.keyboard.press('Control+A');
        await page.keyboard.type(numberFor(q.range, seed));
        log.numbers++;
        if (submitFromField) return el; // Enter here: implicit submission by the form's first button
      } else if (submitFromField && el.value !== '' && (await unanswered(page)).length === 0) {
        return el; // Enter here: implicit submission by the form's first button
      }
    } else if (el.tag === 'textarea' && el.name === `a.${q.id}`) {
      if (el.value === '' && mode === 'answer') {
        await page.keyboard.type(seed === 0
          ? 'Un tiers-lieu numérique ouvert à tous, avec des ateliers chaque semaine.'
          : 'Plus de temps pour former les agent·es, et un budget pluriannuel.');
        log.texts++;
      }
    }
  }
  throw new Error(`on ${page.url()}, Tab never reached « Enregistrer et continuer »`);
}

// ---------------------------------------------------------------------------------------------
// The journey.

export default function diagnostic({ test, server, browser }) {
  const axe = auditor(browser, server);
  const state = {};
  const need = (key, what) => {
    if (state[key] === undefined) throw new Error(`not run: ${what} failed earlier`);
    return state[key];
  };
  const stamp = Date.now().toString(36);

  test('diagnostic: a lead signs up from the home page with the keyboard (no JS)', async () => {
    const context = await browser.newContext();
    state.leadContext = context;
    const page = await context.newPage();
    state.lead = page;
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await tabTo(page, (el) => el.inHeaderNav && el.href === '/signup', 'the link « Créer un compte »', { max: 10 });
    await assertVisibleFocus(page, 'the link « Créer un compte »');
    let response = await pressAndLoad(page, 'Enter');
    assertEqual(path(page), '/signup', 'page reached by « Créer un compte »');
    assertEqual(response.status(), 200, 'HTTP status of /signup');
    await axe.live('sign-up', page.url(), context);

    const fields = [
      ['Votre nom', 'Camille Test'],
      ['Adresse e-mail', `camille.${stamp}@example.org`],
      ['Mot de passe', 'une phrase de passe assez longue'],
      ['Mot de passe, une seconde fois', 'une phrase de passe assez longue'],
    ];
    for (const [label, value] of fields) {
      const el = await tabTo(page, (e) => e.tag === 'input' && e.label.startsWith(label) && !(label === 'Mot de passe' && e.label.includes('seconde')),
        `the field « ${label} »`, { max: 20 });
      await assertVisibleFocus(page, `the field « ${label} »`);
      assert(el.inMain, `« ${label} » is outside main`);
      await page.keyboard.type(value);
    }
    // Enter in the last field submits the form; the address is confirmed by a mail's link.
    response = await pressAndLoad(page, 'Enter');
    assertEqual(path(page), '/signup/sent', 'page after signing up');
    assertEqual(response.status(), 200, 'HTTP status after signing up');
    assert((await page.textContent('main')).includes(`camille.${stamp}@example.org`), 'the page names the address the mail went to');
    await axe.live('sign-up: check your mailbox', page.url(), context);

    // The person opens the link of the mail (pasted, as from a mail client).
    const link = await linkInMail(server, `camille.${stamp}@example.org`, '/signup/confirm/');
    response = await page.goto(link, { waitUntil: 'load' });
    assertEqual(response.status(), 200, 'HTTP status of the confirmation link');
    await axe.live('sign-up: confirm the address', page.url(), context);
    const button = await tabTo(page, (e) => e.tag === 'button' && e.inMain, 'the button « Confirmer et créer mon compte »', { max: 20 });
    assertEqual(button.label, 'Confirmer et créer mon compte', 'the button of the confirmation page');
    await assertVisibleFocus(page, 'the button « Confirmer et créer mon compte »');
    response = await pressAndLoad(page, 'Enter');
    assertEqual(path(page), '/organisations/new', 'page after confirming the address');
    assertEqual(response.status(), 200, 'HTTP status after confirming the address');
    state.signedUp = true;
  });

  test('diagnostic: the lead registers a commune, a rejected form first, with the keyboard (no JS)', async () => {
    need('signedUp', 'signing up');
    const page = state.lead;
    await axe.live('organisation form', page.url(), state.leadContext);

    // A first try with the name only and a wrong INSEE code: 422, errors beside the fields.
    await tabTo(page, (e) => e.tag === 'input' && e.name === 'name', 'the field « Nom »', { max: 20 });
    await page.keyboard.type(`Commune de Test-sur-Saône ${stamp}`);
    await tabTo(page, (e) => e.name === 'commune_insee', 'the field « Code INSEE »', { max: 10 });
    await page.keyboard.type('6912');
    let response = await pressAndLoad(page, 'Enter');
    assertEqual(response.status(), 422, 'HTTP status of the incomplete organisation form');
    const errors = await page.$$eval('.error-message', (ps) => ps.map((p) => p.closest('.field')?.querySelector('[name]')?.name));
    for (const field of ['kind', 'departement', 'commune_insee']) {
      assert(errors.includes(field), `no error message beside « ${field} » (errors beside: ${errors.join(', ')})`);
    }
    const summary = await page.$$eval('.error-summary a', (as) => as.map((a) => a.getAttribute('href')));
    assert(summary.includes('#kind'), `the error summary has no link to #kind: ${summary.join(', ')}`);
    assertEqual(await page.inputValue('#name'), `Commune de Test-sur-Saône ${stamp}`, 'the name typed, kept in the rejected form');
    await axe.saved('organisation form with errors (422)', page);

    // The summary's link moves focus to the select; choose « Commune » by typing.
    await tabTo(page, (e) => e.inErrorSummary && e.href === '#kind', 'the error summary link to « Type »', { max: 20 });
    await assertVisibleFocus(page, 'the error summary link');
    await page.keyboard.press('Enter');
    let el = await focus(page);
    assert(el.tag === 'select' && el.name === 'kind', `the error summary link to #kind moved focus to ${show(el)}`);
    await assertVisibleFocus(page, 'the select « Type »');
    await chooseInSelect(page, 'commune', 'Commune');
    el = await tabTo(page, (e) => e.tag === 'select', 'the select « Département »', { max: 5 });
    assertEqual(el.name, 'departement', 'the select after « Type »');
    await chooseInSelect(page, '69', '69');
    el = await tabTo(page, (e) => e.tag === 'input', 'the field « Code INSEE »', { max: 5 });
    assertEqual(el.name, 'commune_insee', 'the field after « Département »');
    assertEqual(el.value, '6912', 'the INSEE code typed, kept in the rejected form');
    await typeInFocused(page, '69123');
    el = await tabTo(page, (e) => e.tag === 'select', 'the select « Taille »', { max: 5 });
    assertEqual(el.name, 'size_band', 'the select after « Code INSEE »');
    await chooseInSelect(page, '10k_50k', 'De 10 0'); // « De 10 000 à 49 999 habitants »
    el = await tabTo(page, (e) => e.tag === 'button', 'the button « Enregistrer »', { max: 5 });
    assertEqual(el.label, 'Enregistrer', 'the button of the organisation form');
    await assertVisibleFocus(page, 'the button « Enregistrer »');
    response = await pressAndLoad(page, 'Enter');
    assertEqual(response.status(), 200, 'HTTP status after registering the commune');
    assert(/^\/organisations\/[^/]+$/.test(path(page)), `registering led to ${page.url()}, not an organisation page`);
    const h1 = await page.textContent('h1');
    assert(h1.includes(`Test-sur-Saône ${stamp}`), `the organisation page's heading is « ${h1} »`);
    state.organisationUrl = page.url();
  });

  test('diagnostic: the lead opens a diagnostic and creates three personal links, elu, agent and dsi (no JS)', async () => {
    need('organisationUrl', 'registering the commune');
    const page = state.lead;
    await axe.live('organisation page', page.url(), state.leadContext);
    await tabTo(page, (e) => e.tag === 'button' && e.label === 'Ouvrir un nouvel autodiagnostic', 'the button « Ouvrir un nouvel autodiagnostic »');
    await assertVisibleFocus(page, 'the button « Ouvrir un nouvel autodiagnostic »');
    let response = await pressAndLoad(page, 'Enter');
    assertEqual(response.status(), 200, 'HTTP status of the new diagnostic');
    assert(/^\/diagnostics\/[^/]+$/.test(path(page)), `opening a diagnostic led to ${page.url()}`);
    state.diagnosticUrl = page.url().replace(/#.*$/, '');
    await axe.live('diagnostic page, no link yet', state.diagnosticUrl, state.leadContext);

    const links = {};
    for (const [role, prefix, label] of [['elu', '', 'Maire adjointe au numérique'], ['agent', 'Agent', 'Accueil de la mairie'], ['dsi', 'Serv', 'Service informatique']]) {
      const select = await tabTo(page, (e) => e.tag === 'select' && e.name === 'role', 'the select « Rôle »');
      assert(select.label.startsWith('Rôle'), `the role select is labelled « ${select.label} »`);
      await chooseInSelect(page, role, prefix);
      await tabTo(page, (e) => e.name === 'label', 'the field « Repère »', { max: 3 });
      await page.keyboard.type(label);
      const radio = await tabTo(page, (e) => e.type === 'radio' && e.name === 'shared', 'the radios « Type de lien »', { max: 3 });
      assert(radio.checked && radio.value === '0', `Tab into « Type de lien » reaches ${show(radio)}, not the checked « Personnel »`);
      await assertVisibleFocus(page, 'the radio « Personnel »');
      // Arrow keys move the choice, and back.
      await page.keyboard.press('ArrowDown');
      assertEqual((await focus(page)).value, '1', 'ArrowDown in « Type de lien »');
      await page.keyboard.press('ArrowUp');
      assert((await focus(page)).checked && (await focus(page)).value === '0', 'ArrowUp back to « Personnel »');
      await tabTo(page, (e) => e.tag === 'button' && e.label === 'Créer le lien', 'the button « Créer le lien »', { max: 3 });
      await assertVisibleFocus(page, 'the button « Créer le lien »');
      response = await pressAndLoad(page, 'Enter');
      assertEqual(response.status(), 200, `HTTP status after creating the ${role} link`);
      assertEqual(page.url().replace(/#.*$/, ''), state.diagnosticUrl, 'page after creating a link');
      const rows = await page.$$eval('table.invitations tbody tr', (trs) =>
        trs.map((tr) => ({ text: tr.innerText, link: tr.querySelector('input.link')?.value.trim() })));
      const row = rows.find((r) => r.text.includes(label));
      assert(row?.link, `no link in the table for « ${label} »: ${JSON.stringify(rows)}`);
      assert(/\/r\/[0-9a-f]{64}$/.test(row.link), `the link shown is « ${row.link} »`);
      assert(row.link.startsWith(server.url), `the link shown, ${row.link}, is not on ${server.url}`);
      links[role] = row.link;
    }
    assert(links.elu !== links.agent && links.agent !== links.dsi, 'two links are the same');
    await axe.live('diagnostic page with three links', state.diagnosticUrl, state.leadContext);
    await axe.live('invitations by e-mail', `${state.diagnosticUrl}/mail-invitations`, state.leadContext);
    await axe.live('organisation managers', `${state.organisationUrl}/leads`, state.leadContext);
    state.links = links;
  });

  // The three respondents: elu has step 2 rejected once (a word typed as a number; a question
  // left blank is not refused since issue 14); agent chooses « Je ne sais pas » a few
  // times; dsi answers plainly (organisation figures are shown from 3 respondents on).
  const respondents = [
    { role: 'elu', seed: 0, audit: true, rejectStep: 2 },
    { role: 'agent', seed: 1, audit: false, dontKnowSteps: [3, 5, 7] },
    { role: 'dsi', seed: 2, audit: false },
  ];
  for (const who of respondents) {
    const name = who.rejectStep
      ? `diagnostic: respondent ${who.role} answers the 7 steps with the keyboard, step ${who.rejectStep} rejected then fixed, submits, sees the radar (no JS)`
      : `diagnostic: respondent ${who.role} answers the 7 steps with the keyboard${who.dontKnowSteps ? ', some « Je ne sais pas »' : ''}, submits, sees the radar (no JS)`;
    test(name, async () => {
      const link = need('links', 'creating the links')[who.role];
      const context = await browser.newContext(); // fresh cookies: nothing shared with the lead
      try {
        const page = await context.newPage();
        let response = await page.goto(link, { waitUntil: 'load' });
        assertEqual(response.status(), 200, `HTTP status of the ${who.role} link`);
        const h1 = await page.textContent('h1');
        assert(/territoires/i.test(h1), `the introduction's heading is « ${h1} »`);
        if (who.audit) await axe.live('introduction', link, context);
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'button' && e.label === 'Commencer', 'the button « Commencer »');
        await assertVisibleFocus(page, 'the button « Commencer »');
        response = await pressAndLoad(page, 'Enter');
        // Starting gives the response a link of its own, shown to keep: the lead, who knows
        // the invitation link, never sees it.
        const invitation = link.replace(/^.*\/r\//, '');
        const token = path(page).replace(/^\/r\//, '');
        assert(/^[0-9a-f]{64}$/.test(token) && token !== invitation, `the page after « Commencer » is ${path(page)}`);
        assertEqual(response.status(), 200, 'HTTP status of the personal link\'s introduction');
        const shown = await page.textContent('main code.link');
        assertEqual(shown, `${server.url}/r/${token}`, 'the personal link shown after starting');
        assert((await page.textContent('main')).includes('Gardez ce lien pour reprendre'), 'the personal link is not shown « to keep »');
        if (who.audit) {
          await axe.live('personal link after starting', page.url(), context);
          // The same browser, on the invitation link again, is taken back to its response.
          response = await page.goto(link, { waitUntil: 'load' });
          assertEqual(path(page), `/r/${token}`, 'the invitation link reopened in the same browser');
          // Another browser (the lead's) learns nothing from the invitation link.
          const other = await state.leadContext.newPage();
          const used = await other.goto(link, { waitUntil: 'load' });
          assertEqual(used.status(), 410, 'HTTP status of a started invitation link in another browser');
          assertEqual((await other.textContent('h1')).trim(), 'Lien déjà utilisé', 'heading of a started invitation link in another browser');
          await other.close();
        }
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'a' && e.label === 'Aller aux questions', 'the link « Aller aux questions »');
        response = await pressAndLoad(page, 'Enter');

        const log = { radios: 0, checkboxes: 0, numbers: 0, texts: 0, dontKnow: 0, radioFocus: false };
        for (let step = 1; step <= STEPS; step++) {
          assertEqual(path(page), `/r/${token}/step/${step}`, `page before step ${step}`);
          assertEqual(response.status(), 200, `HTTP status of step ${step}`);
          const progress = await page.textContent('.progress-text');
          assert(progress.replace(/\s+/g, ' ').includes(`Étape ${step} sur ${STEPS}`), `step ${step} says « ${progress} »`);
          if (who.audit) await axe.live(`step ${step}`, page.url(), context);
          const questions = await questionsOf(page);
          assert(questions.length > 0, `step ${step} has no question`);

          await skipToContent(page);
          if (step === 1) {
            // « Pourquoi cette question ? » opens with the keyboard, without JavaScript.
            const summary = await tabTo(page, (e) => e.tag === 'summary', '« Pourquoi cette question ? »', { max: 5 });
            await assertVisibleFocus(page, '« Pourquoi cette question ? »');
            await page.keyboard.press('Enter');
            const open = await page.evaluate(() => document.activeElement.closest('details').open);
            assert(open, `Enter on ${show(summary)} did not open the explanation`);
            await page.keyboard.press('Shift+Tab'); // back before the summary: the loop starts over it
          }

          const rejecting = step === who.rejectStep;
          // The question answered with a word: a number question after at least one other.
          const skipped = rejecting ? questions.find((q, i) => i > 0 && q.kind === 'number' && !q.optional) : null;
          if (rejecting) assert(skipped, `step ${step} has no number question to answer wrongly`);
          const dontKnow = (who.dontKnowSteps ?? []).includes(step);
          const dkQuestion = dontKnow ? questions.find((q) => q.dontKnow && q.kind === 'radio') : null;
          const dkOther = dontKnow ? questions.find((q) => q.dontKnow && q.kind !== 'radio' && q.kind !== 'text') : null;
          const plan = (q) => (q === skipped || q.id === skipped?.id ? 'bad'
            : q.id === dkQuestion?.id || q.id === dkOther?.id ? 'dk' : 'answer');

          const button = await answerByKeyboard(page, { questions, plan, seed: who.seed, log });
          await assertVisibleFocus(page, `« ${button.label} » of step ${step}`);
          const left = await unanswered(page);
          assert(left.length === 0, `step ${step}: left unanswered by the keyboard: ${left.join(', ')}`);
          const before = await formState(page);
          // Space on the button once, Enter otherwise.
          response = await pressAndLoad(page, step === 3 ? 'Space' : 'Enter');

          if (rejecting) {
            assertEqual(response.status(), 422, `HTTP status of step ${step} with a word for the number « ${skipped.id} »`);
            assertEqual(path(page), `/r/${token}/step/${step}`, 'page after the rejected submit');
            const messages = await page.$$eval('main .error-message', (ps) =>
              ps.map((p) => ({ question: p.closest('fieldset.question')?.id, text: p.textContent.trim(), id: p.id })));
            assertEqual(messages.length, 1, `number of error messages (${JSON.stringify(messages)})`);
            assertEqual(messages[0].question, `q-${skipped.id}`, 'the question holding the error message');
            assert(/Saisissez un nombre/.test(messages[0].text), `the error message is « ${messages[0].text} »`);
            const describedBy = await page.getAttribute(`fieldset#q-${skipped.id}`, 'aria-describedby');
            assert((describedBy ?? '').split(/\s+/).includes(messages[0].id),
              `the fieldset's aria-describedby (« ${describedBy} ») does not name its error message #${messages[0].id}`);
            const after = await formState(page);
            assertEqual(JSON.stringify(after), JSON.stringify(before), 'the answers of the page after it came back (422)');
            if (who.audit) await axe.saved(`step ${step} with an error (422)`, page);

            // The summary's link leads to the question.
            const summaryLink = await tabTo(page, (e) => e.inErrorSummary && e.tag === 'a', 'the error summary link', { max: 20 });
            assertEqual(summaryLink.href, `#q-${skipped.id}`, 'target of the error summary link');
            await assertVisibleFocus(page, 'the error summary link');
            await page.keyboard.press('Enter');
            await page.waitForFunction((id) => location.hash === `#q-${id}`, skipped.id, { timeout: 5_000 }).catch(() => {});
            const landed = await page.evaluate((id) => {
              const set = document.getElementById(`q-${id}`);
              const r = set.getBoundingClientRect();
              return {
                focusInQuestion: set === document.activeElement || set.contains(document.activeElement),
                active: document.activeElement === document.body ? 'body' : document.activeElement.outerHTML.slice(0, 100),
                visible: r.top < innerHeight && r.bottom > 0,
                hash: location.hash,
              };
            }, skipped.id);
            assert(landed.visible, `after following the error summary link, question ${skipped.id} is off screen`);
            // Without JavaScript a link to a fieldset moves the sequential focus starting point
            // there: at worst the next Tab lands in the question.
            let inQuestion = landed.focusInQuestion;
            let next = null;
            if (!inQuestion) {
              next = await focus(page);
              await page.keyboard.press('Tab');
              next = await focus(page);
              inQuestion = next.question === `q-${skipped.id}`;
              await page.keyboard.press('Shift+Tab');
            }
            state.errorLinkFocus = { landed, next, question: skipped.id };
            assert(inQuestion, `the error summary link (#q-${skipped.id}) did not bring focus to the question: ` +
              `focus on ${landed.active}, next Tab on ${show(next)}`);

            // Fix it: type a number over the word, then Enter in that field (implicit
            // submission by « Enregistrer et continuer », the form's first button).
            const fixed = (q) => (q.id === skipped.id ? 'retype' : plan(q));
            const at = await answerByKeyboard(page, { questions, plan: fixed, seed: who.seed, log, submitFromField: true });
            const leftNow = await unanswered(page);
            assert(leftNow.length === 0, `step ${step}, after the fix: still unanswered: ${leftNow.join(', ')}`);
            response = await pressAndLoad(page, 'Enter');
            assertEqual(response.status(), 200, `HTTP status of step ${step} once fixed (Enter in ${show(at)})`);
          }
        }

        // The review, then submit.
        assertEqual(path(page), `/r/${token}/review`, 'page after step 7');
        assertEqual(response.status(), 200, 'HTTP status of the review');
        const done = await page.$('main .notice.success');
        assert(done, `the review does not say that every scored question is answered: ${(await page.textContent('main')).slice(0, 300)}`);
        if (who.audit) await axe.live('review', page.url(), context);
        await skipToContent(page);
        await tabTo(page, (e) => e.tag === 'button' && e.label === 'Envoyer mes réponses', 'the button « Envoyer mes réponses »');
        await assertVisibleFocus(page, 'the button « Envoyer mes réponses »');
        response = await pressAndLoad(page, 'Enter');
        assertEqual(path(page), `/r/${token}/results`, 'page after submitting');
        assertEqual(response.status(), 200, 'HTTP status of the respondent results');

        // The respondent's results: the radar, named, and its data table.
        const radar = await page.$$eval('main svg[role="img"]', (svgs) => svgs.map((svg) => {
          const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
          return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim() || svg.getAttribute('aria-label') || '';
        }));
        assertEqual(radar.length, 1, 'radar charts (svg role="img") on the respondent results');
        assert(/7 qualités/.test(radar[0]), `the radar's accessible name is « ${radar[0]} »`);
        const table = await page.$$eval('main table', (ts) => ts
          .filter((t) => /7 qualités/.test(t.caption?.textContent ?? ''))
          .map((t) => t.querySelectorAll('tbody tr').length));
        assertEqual(table.join(','), '7', 'rows of the radar\'s data table');
        if (who.audit) await axe.live('respondent results', page.url(), context);
        assert(log.radios > 20 && (!who.dontKnowSteps || log.dontKnow > 0),
          `answered by keyboard: ${JSON.stringify(log)}`);
      } finally {
        await context.close();
      }
    });
  }

  test('diagnostic: the error summary link of a step puts focus on the faulty question (no JS)', () => {
    const seen = need('errorLinkFocus', 'the rejected step');
    const { landed, next, question } = seen;
    assert(landed.focusInQuestion,
      `after Enter on the error summary link « #q-${question} », document.activeElement is ${landed.active}, ` +
      `not the question (fieldset#q-${question}) nor a control in it; the page scrolled to it (hash ${landed.hash}) ` +
      `and the next Tab reaches ${show(next)}`);
  });

  test('diagnostic: the lead reads the organisation results, then switches to English (no JS)', async () => {
    need('links', 'creating the links');
    const page = state.lead;
    // The page is still the diagnostic page, scrolled to the last link created (its #fragment
    // moved the focus starting point there): Shift+Tab back up to « ← the organisation ».
    const back = await tabTo(page, (e) => e.tag === 'a' && e.inMain && e.label.startsWith('←'),
      'the link back to the organisation', { max: 30, back: true });
    assert(back.label.includes('Test-sur-Saône'), `the first link of the diagnostic page is ${show(back)}`);
    let response = await pressAndLoad(page, 'Enter');
    assertEqual(page.url(), state.organisationUrl, 'page reached by the back link');
    const row = await page.$$eval('main table tbody tr', (trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, ' ')));
    assert(row.some((r) => r.includes('3 / 3')), `the organisation page does not count 3 submitted responses: ${row.join(' | ')}`);
    await tabTo(page, (e) => e.tag === 'a' && e.label === 'Voir les résultats', 'the link « Voir les résultats »');
    await assertVisibleFocus(page, 'the link « Voir les résultats »');
    response = await pressAndLoad(page, 'Enter');
    assertEqual(response.status(), 200, 'HTTP status of the organisation results');
    assertEqual(page.url(), `${state.diagnosticUrl}/results`, 'page reached by « Voir les résultats »');

    const overall = await page.$eval('main ul.figures li', (li) => li.innerText.replace(/\s+/g, ' '));
    const index = Number((overall.match(/^(\d+)\s+indice global sur 100/) ?? [])[1]);
    assert(index >= 0 && index <= 100, `the overall index reads « ${overall} »`);
    const respondents = await page.$$eval('main ul.figures li', (lis) => lis.map((li) => li.innerText.replace(/\s+/g, ' ')));
    assert(respondents.some((t) => /^3 répondant/.test(t)), `the figures do not count 3 respondents: ${respondents.join(' | ')}`);
    assertEqual(await page.locator('main svg[role="img"]').count(), 1, 'radar charts on the organisation results');
    const heatmap = await page.$$eval('main table.heatmap tbody tr', (trs) => trs.length);
    assertEqual(heatmap, 8, 'rows of the heatmap (7 qualities and the whole)');
    const consensus = await page.$eval('main h2#consensus', (h) => h.closest('section').innerText);
    assert(/Accords et désaccords/.test(consensus) && !/au moins deux/.test(consensus),
      `the consensus section reads « ${consensus.slice(0, 200)} »`);
    await axe.live('organisation results (fr)', page.url(), state.leadContext);

    // The language switch, with the keyboard.
    await tabTo(page, (e) => e.inHeaderNav && e.lang === 'en', 'the language switch « English »', { max: 10 });
    await assertVisibleFocus(page, 'the language switch');
    response = await pressAndLoad(page, 'Enter');
    assertEqual(response.status(), 200, 'HTTP status of the results in English');
    assertEqual(await page.getAttribute('html', 'lang'), 'en', '<html lang> after the switch');
    const h1 = await page.textContent('h1');
    assert(/^Results — /.test(h1.trim()), `the heading in English is « ${h1} »`);
    const h2 = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent.trim()));
    for (const heading of ['In short', 'The 7 qualities', 'Agreement and disagreement']) {
      assert(h2.includes(heading), `no heading « ${heading} » in English: ${h2.join(' | ')}`);
    }
    await axe.live('organisation results (en)', page.url(), state.leadContext);
    await state.leadContext.close();
  });

  // One line a page for axe-core.
  for (const name of AUDITED) {
    test(`diagnostic: axe-core, ${name}: no serious or critical violation`, () => {
      const result = axe.results.get(name);
      if (!result) throw new Error(`not checked: the journey did not reach this page`);
      if (result.error) throw result.error;
    });
  }
}
