import { defineConfig } from 'vitest/config';

export default defineConfig({
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
