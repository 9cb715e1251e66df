import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          // Electron entry (the shell) and web mode entry share the same core.
          index: resolve(root, 'src-main/shell/main.ts'),
          server: resolve(root, 'src-main/server/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        // Sandboxed preloads must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
      externalizeDeps: false,
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    resolve: {
      alias: {
        '@stability/stablestudio-plugin': resolve(root, 'src-renderer/plugin-api/index.ts'),
      },
    },
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
});
