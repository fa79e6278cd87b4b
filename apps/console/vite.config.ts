import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// `source` first: @mfc/contracts resolves to its TypeScript sources, so the console never needs its dist.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Source maps stay out of the shipped bundle; the budget test counts JavaScript only.
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    host: '127.0.0.1',
    // The BFF serves /api; SSE streams through the proxy unbuffered.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: { port: 4173, host: '127.0.0.1', proxy: { '/api': { target: 'http://127.0.0.1:3000' } } },
});
