import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Test-only build of the real renderer against a fake API with live data, for screenshots:
 *   npx vite build --config test/unit/renderer/preview/vite.preview.config.mjs
 * Output goes to .tmp/renderer-preview (git-ignored); nothing here ships in dist/renderer.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../../../../.tmp/renderer-preview', import.meta.url)), emptyOutDir: true },
});
