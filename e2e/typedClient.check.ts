import type { Harness } from './harness';

/**
 * Compile-time checks, run by `npm run typecheck` (never called): the e2e client is the contract's, so a method it does
 * not have, or a wrong argument, does not compile.
 */
export function typedClientChecks(h: Harness): void {
  // @ts-expect-error a method the contract does not have
  void h.api.label.setLable({ utteranceId: 'u', target: { kind: 'none' } });
  // @ts-expect-error an argument of the wrong type
  void h.api.call.getCall({ callId: 42 });
  // @ts-expect-error a service the contract does not have
  void h.api.labels.setLabel({});
}
