import { defineStore } from 'pinia';
import { ref } from 'vue';
import { connection } from '../api';

/** Whether the Callsift server can be reached; `nudge` makes the banner call attention to itself (a key was refused). */
export const useConnectionStore = defineStore('connection', () => {
  const online = ref(connection.state() === 'online');
  /** Times the connection came back; views refresh on a change. */
  const reconnects = ref(0);
  const nudges = ref(0);
  connection.on((state) => {
    const wasOnline = online.value;
    online.value = state === 'online';
    if (!wasOnline && online.value) reconnects.value += 1;
  });
  function nudge(): void {
    nudges.value += 1;
  }
  return { online, reconnects, nudges, nudge };
});
