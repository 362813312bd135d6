import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          trainWorker: resolve(__dirname, 'electron/workers/trainWorker.ts'),
          discoveryWorker: resolve(__dirname, 'electron/workers/discoveryWorker.ts'),
          replayWorker: resolve(__dirname, 'electron/workers/replayWorker.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload can require nothing but 'electron': inline everything it imports.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [vue()],
    build: {
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
