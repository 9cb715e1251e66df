import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer's plugin API by the name StableStudio's plugins import it (as in the renderer build).
  resolve: {
    alias: { '@stability/stablestudio-plugin': resolve(import.meta.dirname, 'src-renderer/plugin-api/index.ts') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // One process per file: suites set AWS_* variables and HOME for the SDK's providers.
    pool: 'forks',
    // Processed by vitest (not loaded by Node directly) so that its `import 'electron'` meets the test's mock.
    server: { deps: { inline: ['electron-store'] } },
  },
});
