import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { CallDetail, CallSummary } from '../../shared/contract/dto';
import type { LabelTarget } from '../../shared/domain/types';
import { toUtteranceId } from '../../shared/domain/types';
import { api } from '../api';
import { PagedList } from '../composables/pagedList';
import { useNoticeStore } from './notices';
import { attempt, useStoreLoad } from './storeLoad';

/** Call search with filters, the open call, and labeling a turn in place. */
export const useCallStore = defineStore('calls', () => {
  const query = ref('');
  const campaign = ref<string | null>(null);
  const onlyUnlabeled = ref(false);
  const campaigns = ref<readonly { readonly campaign: string; readonly calls: number }[]>([]);
  const open = ref<CallDetail | null>(null);
  const saving = ref(0);
  const list = reactive(
    new PagedList<CallSummary>(
      (offset, limit) =>
        api.call.searchCalls({
          query: query.value,
          onlyUnlabeled: onlyUnlabeled.value,
          offset,
          limit,
          ...(campaign.value ? { campaign: campaign.value } : {}),
        }),
      100,
    ),
  ) as PagedList<CallSummary>;

  const campaignLoad = useStoreLoad(
    () => api.call.listCampaigns({}),
    (value) => {
      campaigns.value = value;
    },
  );

  async function loadCampaigns(): Promise<void> {
    await campaignLoad.load();
  }

  async function search(): Promise<void> {
    await attempt(() => list.reset());
  }

  async function ensureRange(start: number, end: number): Promise<void> {
    await attempt(() => list.ensureRange(start, end));
  }

  async function openCall(callId: string): Promise<void> {
    try {
      open.value = await api.call.getCall({ callId });
    } catch (err) {
      open.value = null;
      useNoticeStore().error(err);
    }
  }

  /** Labels one user turn of the open call and refreshes the call. */
  async function labelTurn(turnIndex: number, target: LabelTarget | null): Promise<boolean> {
    const call = open.value;
    if (!call) return false;
    saving.value += 1;
    try {
      await api.label.setLabel({ utteranceId: toUtteranceId(call.id, turnIndex), target, source: 'manual' });
      const fresh = await api.call.getCall({ callId: call.id });
      if (open.value?.id === call.id) open.value = fresh;
      const labeledTurns = Object.values(fresh.labels).filter((l) => l !== undefined).length;
      list.update((row) => row.id === call.id, (row) => ({ ...row, labeledTurns }));
      return true;
    } catch (err) {
      useNoticeStore().error(err);
      return false;
    } finally {
      saving.value -= 1;
    }
  }

  return { query, campaign, onlyUnlabeled, campaigns, open, saving, list, loadCampaigns, search, ensureRange, openCall, labelTurn };
});
