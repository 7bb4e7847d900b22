// The same renderer, built for browser mode (`npm run build:web` → out/web), served by the loopback HTTP host
// (`meterbook serve`). Relative base so the host can mount it under any path.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: resolve(root, 'src-renderer'),
  base: './',
  publicDir: false,
  envDir: root,
  plugins: [react()],
  build: {
    outDir: resolve(root, 'out/web'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    // Served from loopback to one user: one big bundle is fine.
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: resolve(root, 'src-renderer/index.html'),
    },
  },
});
