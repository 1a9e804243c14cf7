// The account page and what it leads to, as the demo lead: signing in with the keyboard, a
// refused form (errors beside their fields, the summary focused), the data download, the
// deletion page, and the deletion page of an organisation it leads alone; axe-core on each.
// And the footer: its « Données personnelles » link is reached with Tab from any page.

import { assert, assertEqual, assertVisibleFocus, checkAccessibility, focused, tabUntil } from '../lib.mjs';

const LEAD = { email: 'lead@demo.reset-eval.fr', password: 'demo-reset-eval-2026' };

async function pressAndLoad(page, key) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
  return response;
}

export default function account({ test, server, browser }) {
  test('account: the footer link « Données personnelles » is reached with Tab and opens the page (no JS)', async () => {
    const context = await browser.newContext({ javaScript: false });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/coalitions`, { waitUntil: 'load' });
      const link = await tabUntil(page, (el) => el.href === '/donnees-personnelles', 400);
      assert(link, 'Tab never reached the footer link « Données personnelles »');
      await assertVisibleFocus(page, 'the footer link « Données personnelles »');
      const response = await pressAndLoad(page, 'Enter');
      assertEqual(response.status(), 200, 'HTTP status of /donnees-personnelles');
      const h1 = await page.textContent('h1');
      assertEqual(h1.trim(), 'Données personnelles', 'heading of the page reached');
    } finally {
      await context.close();
    }
  });

  test('account: the demo lead signs in, refuses an empty name, and every account page passes axe-core', async () => {
    // JavaScript on for axe-core (the context then lets the test inject it despite the CSP).
    const context = await browser.newContext({ javaScript: true });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/signin?next=/account`, { waitUntil: 'load' });
      await page.fill('#email', LEAD.email);
      await page.fill('#password', LEAD.password);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('#password', 'Enter')]);
      assertEqual(new URL(page.url()).pathname, '/account', 'page after signing in');
      await checkAccessibility(page, '/account');

      // An empty name: the page comes back with the error beside the field and the summary.
      await page.fill('#display_name', '   ');
      const [response] = await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.press('#display_name', 'Enter'),
      ]);
      assertEqual(response.status(), 422, 'HTTP status of a refused name');
      const message = await page.textContent('#display_name-error');
      assert(/Indiquez votre nom/.test(message), `the error beside the field is « ${message} »`);
      const described = await page.getAttribute('#display_name', 'aria-describedby');
      assert(described.includes('display_name-error'), 'the field is not described by its error');
      const active = await focused(page);
      assert(active.tag !== null, 'nothing has focus');
      await checkAccessibility(page, '/account (refused name)');

      const download = await page.request.get(`${server.url}/account/data.json`);
      assertEqual(download.status(), 200, 'HTTP status of the data download');
      const data = await download.json();
      assertEqual(data.account.email, LEAD.email, 'the download is the signed-in account\'s');

      await page.goto(`${server.url}/account/delete`, { waitUntil: 'load' });
      // The demo lead leads its organisations alone: the page says so, and offers no form.
      const body = await page.textContent('main');
      assert(/seule responsable/.test(body), 'the deletion page does not say the lead is the only one');
      await checkAccessibility(page, '/account/delete');

      // It offers to delete an organisation: that page says what goes and stays, and refuses
      // an unticked box beside it (nothing is deleted: the other journeys use the demo).
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.click('#organisations a[href$="/delete"]'),
      ]);
      assert(/\/organisations\/[^/]+\/delete$/.test(new URL(page.url()).pathname), `went to ${page.url()}`);
      await checkAccessibility(page, '/organisations/{id}/delete');
      const [refused] = await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.click('form[action$="/delete"] button[type="submit"]'),
      ]);
      assertEqual(refused.status(), 422, 'HTTP status of an unconfirmed deletion');
      const why = await page.textContent('#confirm-error');
      assert(/Cochez la case/.test(why), `the error beside the box is « ${why} »`);
      await checkAccessibility(page, '/organisations/{id}/delete (unconfirmed)');
    } finally {
      await context.close();
    }
  });
}
