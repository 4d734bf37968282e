import { defineConfig } from 'vite';

// Builds only the harness page (bench/harness), so the benchmark and the kernel tests
// do not depend on the rest of the app building. Used by bench/run.ts.
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  worker: { format: 'es' },
  logLevel: 'warn',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    outDir: 'bench-results/harness-dist',
    emptyOutDir: true,
    rollupOptions: { input: { harness: 'bench/harness/index.html' } },
  },
  preview: { host: '127.0.0.1', strictPort: true },
});
