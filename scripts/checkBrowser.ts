import { browserMissingMessage, findBrowser } from './findBrowser';

/**
 * `npm run test:e2e` runs this first: with no Chromium, Chrome or Edge it prints one line saying how to get one and
 * exits 1, before vitest starts (so no stack trace, and not one failure per flow).
 */
if (!findBrowser()) {
  process.stderr.write(`Browser tests not run: ${browserMissingMessage()}\n`);
  process.exit(1);
}
