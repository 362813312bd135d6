import { describeInvalidArgument, dispatch, toErrorData, type ArgumentGuard } from '../../shared/contract/dispatch';
import { errorData, type ContractErrorData, type Envelope } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import { hostSchemas, isHostMethodName, type HostService } from '../../shared/contract/host';
import type { Services } from '../../shared/contract/services';
import { recordCallFailure } from '../services/log';

/** What an invoke call is served by: the contract services, the native dialogs and the path guard. */
export interface InvokeTargets {
  readonly services: Services;
  readonly dialogs: HostService;
  /** Checks path arguments before a service runs (grantedPaths.ts: only dialog-chosen paths, or inside the workspace). */
  readonly guard: ArgumentGuard;
}

function fail(error: ContractErrorData): Envelope<never> {
  return { ok: false, error };
}

async function invokeHost(dialogs: HostService, method: keyof typeof hostSchemas, rawArg: unknown): Promise<Envelope<unknown>> {
  try {
    if (method === 'host.showOpenDialog') {
      const parsed = hostSchemas[method].safeParse(rawArg ?? {});
      if (!parsed.success) return fail(describeInvalidArgument(method, parsed.error.issues));
      return { ok: true, value: await dialogs.showOpenDialog(parsed.data) };
    }
    const parsed = hostSchemas[method].safeParse(rawArg ?? {});
    if (!parsed.success) return fail(describeInvalidArgument(method, parsed.error.issues));
    return { ok: true, value: await dialogs.showSaveDialog(parsed.data) };
  } catch (err) {
    recordCallFailure(method, err);
    return fail(toErrorData(err));
  }
}

/**
 * Serves one call from the renderer: host methods go to the native dialogs, everything else through
 * the contract dispatcher. Validates every argument and never throws: the answer is always an envelope.
 */
export async function handleInvoke(targets: InvokeTargets, method: unknown, rawArg: unknown): Promise<Envelope<unknown>> {
  if (typeof method !== 'string') return fail(errorData('unknown_method', sentence('unknown_method', { method: '?' })));
  if (isHostMethodName(method)) return invokeHost(targets.dialogs, method, rawArg);
  try {
    return await dispatch(targets.services, method, rawArg, targets.guard, recordCallFailure);
  } catch (err) {
    recordCallFailure(method, err);
    return fail(toErrorData(err));
  }
}
