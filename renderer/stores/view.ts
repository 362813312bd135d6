import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { QueueId } from '../../shared/contract/dto';
import { formatHash, parseHash, type Route, type ViewName } from '../composables/hashRoute';

/** Which view is shown; mirrored in the location hash so a reload keeps it. */
export const useViewStore = defineStore('view', () => {
  const route = ref<Route>(parseHash(window.location.hash));
  const view = computed(() => route.value.view);
  const helpOpen = ref(false);
  const transferOpen = ref(false);

  function go(next: Partial<Route> & { view: ViewName }): void {
    route.value = { queue: route.value.queue, callId: null, ...next };
    const hash = formatHash(route.value);
    if (window.location.hash !== hash) window.location.hash = hash;
  }

  function openQueue(queue: QueueId): void {
    go({ view: 'label', queue });
  }

  function syncFromHash(): void {
    route.value = parseHash(window.location.hash);
  }

  window.addEventListener('hashchange', syncFromHash);

  return { route, view, helpOpen, transferOpen, go, openQueue, syncFromHash };
});
