import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the app (vite) and the unit tests (vitest, Node + TF.js CPU backend).
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // bench/harness: the kernel test and benchmark page (e2e/kernels.spec.ts, npm run bench).
    rollupOptions: { input: { main: 'index.html', harness: 'bench/harness/index.html' } },
  },
  server: { port: 5173, strictPort: false },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'cli/**/*.test.ts'],
    // Property tests start from a fixed seed (FC_SEED=random for a fresh one): see the file.
    setupFiles: ['src/testing/propertySeed.ts'],
    // The CLI tests spawn the compiled CLI: compile it first if a source changed.
    globalSetup: ['cli/buildForTests.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
