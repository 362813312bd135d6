import { browserMissingMessage, findBrowser } from '../scripts/findBrowser';

/**
 * Global setup of the browser flows, for runs that bypass `npm run test:e2e` (which checks first, in
 * scripts/checkBrowser.ts): with no browser, one line says how to get one, instead of a stack trace or a failure per file.
 */
export default function checkBrowser(): void {
  if (findBrowser()) return;
  process.stderr.write(`Browser tests not run: ${browserMissingMessage()}\n`);
  process.exit(1);
}
