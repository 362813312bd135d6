import { browserMissingMessage, findBrowser } from '../scripts/findBrowser';

/** Global setup of the browser flows: one clear message, instead of a failure per file, when no browser is found. */
export default function checkBrowser(): void {
  if (!findBrowser()) throw new Error(browserMissingMessage());
}
