// The browser tests of reset-eval: `node run.mjs [name filter...]`.
//
// Starts one reset-eval server with the demo data and one headless Chromium, then loads every
// journey in journeys/ (in the order of their file names). A journey is a module whose default
// export receives {test, server, browser} and registers its tests with `test(name, fn)`;
// `server.url` is the base address, `browser.newContext({javaScript})` a fresh context (no
// JavaScript unless asked). A journey that needs a server of its own calls `startServer()`.
// Arguments keep only the tests whose name contains one of them.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HERE, launchBrowser, run, startServer, test } from './lib.mjs';

const server = await startServer({ demo: true });
const browser = await launchBrowser();
console.log(`reset-eval ${server.url}, Chromium ${browser.version}`);

const dir = join(HERE, 'journeys');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) {
  const journey = await import(pathToFileURL(join(dir, file)).href);
  if (typeof journey.default !== 'function') {
    throw new Error(`journeys/${file}: the default export must be a function ({test, server, browser}) => …`);
  }
  await journey.default({ test, server, browser });
}

// Last: whatever the journeys did, the server logged no error (a 500, a failed query...).
test('the server logged no error', () => {
  const plain = server.stderr().replace(/\x1b\[[0-9;]*m/g, '');
  const errors = plain.split('\n').filter((line) => /\bERROR\b/.test(line));
  if (errors.length > 0) throw new Error(`the server logged:\n  ${errors.join('\n  ')}`);
});

let failed = 1;
try {
  failed = await run({ filter: process.argv.slice(2) });
} finally {
  await browser.close();
  await server.stop();
}
process.exitCode = failed > 0 ? 1 : 0;
