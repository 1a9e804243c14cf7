// A lead manages a diagnostic with the keyboard alone, JavaScript off (issue 14), once in
// French at 1280 px and once in English at 320 px: focuses an invitation link's read-only field
// and selects all of it; revokes a link after its confirmation page, then reinstates it; sets
// a closing date; closes and reopens the diagnostic; sets a submitted response aside with a
// reason, then restores it (the demo is left as it was, its history aside). Programme staff
// search the organisations with the GET form. axe-core checks each page met, in a separate
// JavaScript context.
//
// Signing in fills the form (signing in with the keyboard is account.mjs's); everything after
// it is Tab, Shift+Tab, Enter and typing. `page.goto` opens only the diagnostic's page.

import { assert, assertEqual, assertVisibleFocus } from '../lib.mjs';
import { auditor, path, pressAndLoad, tabTo } from '../keyboard.mjs';

const LEAD = { email: 'lead@demo.reset-eval.fr', password: 'demo-reset-eval-2026' };
const STAFF = { email: 'equipe@demo.reset-eval.fr', password: 'demo-reset-eval-2026' };

const PASSES = [
  { lang: 'fr', width: 1280 },
  { lang: 'en', width: 320 },
];

const TEXT = {
  fr: {
    createLink: 'Créer le lien',
    hint: 'Sélectionnez le lien puis copiez-le (Ctrl+C)',
    revokeTitle: 'Révoquer ce lien ?',
    revokeButton: 'Révoquer le lien',
    revoked: 'Révoqué',
    reinstate: 'Rétablir',
    saveDate: 'Enregistrer la date',
    close: "Clore l'autodiagnostic maintenant",
    closedOn: 'Clos le',
    reopen: "Rouvrir l'autodiagnostic",
    open: 'Ouvert aux réponses',
    setAsideButton: 'Écarter la réponse',
    setAsideDone: 'Écartée le',
    restore: 'Réintégrer',
    counted: 'Comptée',
    reason: 'Réponse d’essai, parcours au clavier',
    search: 'Chercher',
  },
  en: {
    createLink: 'Create the link',
    hint: 'Select the link, then copy it (Ctrl+C)',
    revokeTitle: 'Revoke this link?',
    revokeButton: 'Revoke the link',
    revoked: 'Revoked',
    reinstate: 'Reinstate',
    saveDate: 'Save the date',
    close: 'Close the self-diagnostic now',
    closedOn: 'Closed on',
    reopen: 'Reopen the self-diagnostic',
    open: 'Open to responses',
    setAsideButton: 'Set the response aside',
    setAsideDone: 'Set aside on',
    restore: 'Restore',
    counted: 'Counted',
    reason: 'A test response, keyboard journey',
    search: 'Search',
  },
};

async function signIn(page, server, who, lang) {
  await page.goto(`${server.url}/signin?lang=${lang}`, { waitUntil: 'load' });
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('#password', 'Enter')]);
}

/** Presses Enter on the focused control; the page it loads must answer `status`. */
async function enter(page, status, what) {
  const response = await pressAndLoad(page, 'Enter');
  assertEqual(response.status(), status, `HTTP status after ${what}`);
  return response;
}

/** How much wider than the window the page is, and the outermost elements that make it so
 * (a table in its scroll container does not count: it scrolls on its own). */
async function overflow(page) {
  return page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.parentElement.closest('.table-scroll'))
      .filter((e) => getComputedStyle(e).position !== 'absolute' || !e.closest('.table-scroll'))
      .filter((e, _, all) => !all.includes(e.parentElement))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''} (${Math.round(e.getBoundingClientRect().width)} px, overflow-x ${getComputedStyle(e).overflowX})`);
    return { by: document.documentElement.scrollWidth - window.innerWidth, wide };
  });
}

/** The text of a main's table row, by its id. */
async function rowText(page, id) {
  return page.$eval(`#${id}`, (tr) => tr.innerText).catch(() => '');
}

export default function lead({ test, server, browser }) {
  const axe = auditor(browser, server);
  const audited = [];
  const state = {};

  test('lead: the demo lead has a collective diagnostic with submitted responses', async () => {
    const context = await browser.newContext({ javaScript: false });
    try {
      const page = await context.newPage();
      await signIn(page, server, LEAD, 'fr');
      // Every demo organisation's diagnostics, until one is collective with a response.
      await page.goto(`${server.url}/organisations`, { waitUntil: 'load' });
      const organisations = await page.$$eval('main table a[href^="/organisations/"]', (as) => as.map((a) => a.getAttribute('href')));
      for (const href of organisations) {
        await page.goto(`${server.url}${href}`, { waitUntil: 'load' });
        const rows = await page.$$eval('main table tbody tr', (trs) =>
          trs.map((tr) => ({
            href: tr.querySelector('a[href^="/diagnostics/"]')?.getAttribute('href'),
            submitted: parseInt((tr.querySelector('td.number')?.innerText ?? '0').split('/')[0], 10),
          })));
        for (const row of rows.filter((r) => r.href && r.submitted > 0)) {
          await page.goto(`${server.url}${row.href}`, { waitUntil: 'load' });
          const solo = await page.$('main p.notice');
          const text = solo ? await solo.innerText() : '';
          if (!/seul·e/.test(text) && (await page.$('a[href$="/set-aside"]'))) {
            state.diagnosticUrl = `${server.url}${row.href}`;
            break;
          }
        }
        if (state.diagnosticUrl) break;
      }
      assert(state.diagnosticUrl, 'no demo diagnostic with a submitted response to set aside');
    } finally {
      await context.close();
    }
  });

  for (const { lang, width } of PASSES) {
    const t = TEXT[lang];
    const name = (what) => `${what} (${lang}, ${width} px)`;
    audited.push(name('diagnostic page'), name('revoke confirmation'), name('set-aside form'), name('organisations search'));

    test(`lead: with the keyboard, JavaScript off, ${lang} at ${width} px: copy, revoke and reinstate a link, close and reopen, set a response aside and restore it`, async () => {
      assert(state.diagnosticUrl, 'no diagnostic found by the first test');
      const context = await browser.newContext({ javaScript: false, viewport: { width, height: 900 }, locale: 'en-US' });
      try {
        const page = await context.newPage();
        await signIn(page, server, LEAD, lang);
        await page.goto(state.diagnosticUrl, { waitUntil: 'load' });
        assertEqual(await page.getAttribute('html', 'lang'), lang, 'the page\'s language');
        const wider = await overflow(page);
        assert(wider.by <= 0, `the diagnostic page is ${wider.by} px wider than ${width} px: ${wider.wide.join(', ')}`);
        await axe.live(name('diagnostic page'), state.diagnosticUrl, context);

        // A link of this pass, created with the keyboard.
        let el = await tabTo(page, (e) => e.tag === 'select' && e.name === 'role', 'the select « Rôle »');
        await page.keyboard.press('ArrowDown');
        el = await tabTo(page, (e) => e.name === 'label', 'the field « Repère »', { max: 3 });
        await page.keyboard.type(`Parcours ${lang}`);
        el = await tabTo(page, (e) => e.tag === 'button' && e.label === t.createLink, `the button « ${t.createLink} »`, { max: 5 });
        await enter(page, 200, 'creating a link');
        const invitation = new URL(page.url()).hash.replace('#invitation-', '');
        assert(invitation, `no new link in ${page.url()}`);

        // Its field: reached with Tab, read-only, labelled, described by how to copy it.
        el = await tabTo(page, (e) => e.id === `link-${invitation}`, 'the field of the new link', { max: 200 });
        await assertVisibleFocus(page, 'the link field');
        assert(el.label.includes(`Parcours ${lang}`), `the link field is labelled « ${el.label} »`);
        const field = await page.evaluate(() => {
          const input = document.activeElement;
          const hint = document.getElementById(input.getAttribute('aria-describedby'))?.innerText ?? '';
          return { readOnly: input.readOnly, value: input.value, hint };
        });
        assert(field.readOnly, 'the link field is not read-only');
        assert(/\/r\/[0-9a-f]{64}$/.test(field.value), `the link field holds « ${field.value} »`);
        assert(field.hint.includes(t.hint), `the link field is described by « ${field.hint} »`);
        await page.keyboard.press('ControlOrMeta+A');
        const selected = await page.evaluate(() => {
          const input = document.activeElement;
          return input.value.slice(input.selectionStart, input.selectionEnd);
        });
        assertEqual(selected, field.value, 'what Ctrl+A selects in the link field');

        // Revoke: the next stop is its « Révoquer… », which asks first.
        el = await tabTo(page, (e) => (e.href ?? '').endsWith(`/invitations/${invitation}/revoke`), 'the link « Révoquer… » of the new link', { max: 3 });
        await assertVisibleFocus(page, 'the link « Révoquer… »');
        await enter(page, 200, 'asking to revoke');
        assertEqual((await page.textContent('h1')).trim(), t.revokeTitle, 'heading of the confirmation page');
        await axe.live(name('revoke confirmation'), page.url(), context);
        el = await tabTo(page, (e) => e.tag === 'button' && e.label === t.revokeButton, `the button « ${t.revokeButton} »`, { max: 20 });
        await assertVisibleFocus(page, 'the button that revokes');
        await enter(page, 200, 'revoking');
        assertEqual(path(page), new URL(state.diagnosticUrl).pathname, 'page after revoking');
        assert((await rowText(page, `invitation-${invitation}`)).includes(t.revoked), 'the link is not shown revoked');

        // Reinstate it.
        el = await tabTo(page, (e) => e.tag === 'button' && e.label.startsWith(t.reinstate) && e.label.includes(`Parcours ${lang}`), `the button « ${t.reinstate} »`, { max: 200 });
        await assertVisibleFocus(page, 'the button « Rétablir »');
        await enter(page, 200, 'reinstating');
        assert(await page.$(`#link-${invitation}`), 'the reinstated link has no field again');

        // A closing date, typed into the date field (month, day, year in this browser's locale).
        const today = new Date().toISOString().slice(0, 10);
        el = await tabTo(page, (e) => e.name === 'closes_on', 'the field « Date de clôture »', { max: 200 });
        await assertVisibleFocus(page, 'the closing date field');
        await page.keyboard.type(`${today.slice(5, 7)}${today.slice(8, 10)}${today.slice(0, 4)}`);
        el = await tabTo(page, (e) => e.tag === 'button' && e.label === t.saveDate, `the button « ${t.saveDate} »`, { max: 5 });
        await enter(page, 200, 'saving the closing date');
        assertEqual(await page.inputValue('#closes_on'), today, 'the closing date saved');

        // Close, then reopen.
        el = await tabTo(page, (e) => e.tag === 'button' && e.label === t.close, `the button « ${t.close} »`, { max: 200 });
        await assertVisibleFocus(page, 'the button that closes');
        await enter(page, 200, 'closing');
        assert((await page.textContent('main dl.meta')).includes(t.closedOn), 'the page does not say the diagnostic is closed');
        el = await tabTo(page, (e) => e.tag === 'button' && e.label === t.reopen, `the button « ${t.reopen} »`, { max: 200 });
        await enter(page, 200, 'reopening');
        assert((await page.textContent('main dl.meta')).includes(t.open), 'the page does not say the diagnostic is open');

        // Set the first counted response aside, with a reason; then restore it.
        el = await tabTo(page, (e) => /\/responses\/[^/]+\/set-aside$/.test(e.href ?? ''), 'a link « Écarter… »', { max: 300 });
        const response = el.href.split('/responses/')[1].split('/')[0];
        await enter(page, 200, 'asking to set a response aside');
        await axe.live(name('set-aside form'), page.url(), context);
        el = await tabTo(page, (e) => e.tag === 'textarea' && e.name === 'reason', 'the field « Raison »', { max: 20 });
        await page.keyboard.type(t.reason);
        el = await tabTo(page, (e) => e.tag === 'button' && e.label === t.setAsideButton, `the button « ${t.setAsideButton} »`, { max: 5 });
        await enter(page, 200, 'setting the response aside');
        const row = await rowText(page, `response-${response}`);
        assert(row.includes(t.setAsideDone) && row.includes(t.reason), `the response's row reads « ${row} »`);
        assert((await page.textContent('#history + ul')).includes(t.reason), 'the history does not keep the reason');
        el = await tabTo(page, (e) => e.tag === 'button' && e.label.startsWith(t.restore), `the button « ${t.restore} »`, { max: 300 });
        await assertVisibleFocus(page, 'the button « Réintégrer »');
        await enter(page, 200, 'restoring the response');
        assert((await rowText(page, `response-${response}`)).includes(t.counted), 'the response is not counted again');
      } finally {
        await context.close();
      }
    });

    test(`lead: staff search the organisations with the keyboard, JavaScript off, ${lang} at ${width} px`, async () => {
      const context = await browser.newContext({ javaScript: false, viewport: { width, height: 900 } });
      try {
        const page = await context.newPage();
        await signIn(page, server, STAFF, lang);
        await page.goto(`${server.url}/organisations`, { waitUntil: 'load' });
        assertEqual((await page.textContent('h1')).trim(), 'Organisations', 'the staff list\'s heading');
        const first = await page.$eval('main table tbody tr td a', (a) => a.textContent.trim());
        const part = first.split(' ').slice(-1)[0];
        let el = await tabTo(page, (e) => e.name === 'name', 'the search field', { max: 60 });
        await assertVisibleFocus(page, 'the search field');
        await page.keyboard.type(part);
        el = await tabTo(page, (e) => e.tag === 'button' && e.label === t.search, `the button « ${t.search} »`, { max: 5 });
        await enter(page, 200, 'searching');
        assertEqual(new URL(page.url()).searchParams.get('name'), part, 'the search kept in the address');
        const names = await page.$$eval('main table tbody tr td:first-child', (tds) => tds.map((td) => td.innerText));
        assert(names.length > 0 && names.every((n) => n.toLowerCase().includes(part.toLowerCase())), `found « ${names.join(', ')} » for « ${part} »`);
        const wider = await overflow(page);
        assert(wider.by <= 0, `the organisations page is ${wider.by} px wider than ${width} px: ${wider.wide.join(', ')}`);
        await axe.live(name('organisations search'), page.url(), context);
      } finally {
        await context.close();
      }
    });
  }

  for (const page of audited) {
    test(`lead: axe-core, ${page}: no serious or critical violation`, () => {
      const result = axe.results.get(page);
      if (!result) throw new Error('not checked: the journey did not reach this page');
      if (result.error) throw result.error;
    });
  }

}
