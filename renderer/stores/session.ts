import { defineStore } from 'pinia';
import { ref } from 'vue';
import { onUnauthorized } from '../api';

/** Whether the server knows this page: false once the HTTP bridge answers 401 (opened without the printed link). */
export const useSessionStore = defineStore('session', () => {
  const unauthorized = ref(false);
  onUnauthorized(() => {
    unauthorized.value = true;
  });
  return { unauthorized };
});
