import { readFileSync } from 'node:fs';
import { launchBrowser, assertFitsNarrowScreen, startServer } from './lib.mjs';
const server = await startServer({ demo: true });
const b = await launchBrowser();
async function as(email) {
  const ctx = await b.newContext();
  await ctx.route('**/static/style.css', (r) => r.fulfill({ contentType: 'text/css', body: readFileSync('/work/wt/look/src/web/static/style.css', 'utf8') }));
  const page = await ctx.newPage();
  await page.goto(server.url + '/signin');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'demo-reset-eval-2026');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  return page;
}
const lead = await as('lead@demo.reset-eval.fr');
await lead.goto(server.url + '/organisations');
const orgs = await lead.$$eval('main a[href^="/organisations/"]', (as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/organisations\/[^/]+$/.test(h)));
const paths = ['/coalitions/achat-public-responsable/members', '/organisations', '/account', ...orgs.slice(0, 2)];
await lead.goto(server.url + orgs[0]);
const diags = await lead.$$eval('main a[href^="/diagnostics/"]', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
paths.push(...diags.slice(0, 4));
for (const path of paths) {
  const r = await lead.goto(server.url + path);
  try { await assertFitsNarrowScreen(lead, path); console.log(path, r.status(), 'fits'); } catch (e) { console.log(r.status(), e.message.slice(0, 900)); }
}
const staff = await as('equipe@demo.reset-eval.fr');
for (const path of ['/reports', '/reports/2026', '/programme', '/programme/mail']) {
  const r = await staff.goto(server.url + path);
  try { await assertFitsNarrowScreen(staff, path); console.log(path, r.status(), 'fits'); } catch (e) { console.log(r.status(), e.message.slice(0, 900)); }
}
await b.close(); await server.stop();
