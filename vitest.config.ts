import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'platform/**/*.test.ts', 'lib/**/*.test.ts', 'eslint/**/*.test.ts', 'resources/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/torture/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/unit.json' },
  },
});
