import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the renderer (browser only) into dist/renderer; vitest runs core tests in node and renderer tests in jsdom. */
export default defineConfig({
  root: `${root}renderer`,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}dist/renderer`,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2023',
    // Loaded from disk or loopback, never over a network: one 700 kB chunk (mostly recharts) is fine.
    chunkSizeWarningLimit: 1000,
  },
  server: { host: '127.0.0.1', strictPort: false },
  test: {
    root,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          root,
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          root,
          environment: 'jsdom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
