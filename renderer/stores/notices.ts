import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ContractErrorData } from '../../shared/contract/errors';
import { errorData, isContractErrorData } from '../../shared/contract/errors';
import { errorName, sentence } from '../../shared/contract/errorWords';
import { SERVER_UNREACHABLE } from '../api/transport';

/** A button on a notice, e.g. "Undo" after a merge. */
export interface NoticeAction {
  readonly label: string;
  readonly run: () => void | Promise<void>;
}

/** Something to tell the user: an error in words, or a short confirmation. */
export interface Notice {
  readonly id: number;
  readonly kind: 'error' | 'success' | 'info';
  readonly text: string;
  readonly error?: ContractErrorData;
  readonly action?: NoticeAction;
}

/** Turns anything thrown into error data with a message to show. */
export function toErrorData(err: unknown): ContractErrorData {
  if (isContractErrorData(err)) {
    return { code: err.code, message: err.message, ...(err.sentences ? { sentences: err.sentences } : {}), ...(err.details ? { details: err.details } : {}) };
  }
  return { ...errorData('internal', sentence('unexpected', { detail: errorName(err) })), message: err instanceof Error ? err.message : String(err) };
}

/** The error a failed worker job's progress event reports (training, clustering). */
export function jobFailure(event: { readonly message?: string; readonly sentences?: ContractErrorData['sentences'] }): ContractErrorData {
  return { code: 'internal', message: event.message ?? 'The job failed.', sentences: event.sentences ?? [sentence('unexpected', { detail: 'job' })] };
}

/** Notices waiting to be shown by the notice host component. */
export const useNoticeStore = defineStore('notices', () => {
  const queue = ref<Notice[]>([]);
  const lastError = ref<ContractErrorData | null>(null);
  let next = 1;
  const recentErrors = new Map<string, number>();
  const repeatWindowMs = 8000;

  function push(notice: Omit<Notice, 'id'>): void {
    queue.value.push({ ...notice, id: next++ });
  }

  function error(err: unknown): void {
    const data = toErrorData(err);
    lastError.value = data;
    // No session: the page says so once, in place of the app (AuthRequired), instead of one notice per failed call.
    if (data.code === 'unauthorized') return;
    // Server gone (browser mode): one banner says so (ConnectionBanner), not a notice per failed call.
    if (data.details?.reason === SERVER_UNREACHABLE) return;
    // The same error again within a few seconds adds nothing but a stack of notices over the picker.
    const key = `${data.code}|${JSON.stringify(data.sentences ?? null)}|${data.message}`;
    const now = Date.now();
    if (recentErrors.get(key) !== undefined && now - recentErrors.get(key)! < repeatWindowMs) return;
    recentErrors.set(key, now);
    if (recentErrors.size > 50) recentErrors.delete(recentErrors.keys().next().value!);
    push({ kind: 'error', text: data.message, error: data });
  }

  function success(text: string, action?: NoticeAction): void {
    push({ kind: 'success', text, ...(action ? { action } : {}) });
  }

  function drain(): Notice[] {
    const out = queue.value;
    queue.value = [];
    return out;
  }

  return { queue, lastError, push, error, success, drain };
});
