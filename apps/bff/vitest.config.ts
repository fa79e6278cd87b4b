import { defineConfig } from 'vitest/config';

// Resolve workspace packages to their TypeScript sources (the "source" export condition),
// so tests never run against a stale dist build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // PostgreSQL is installed once (apt) before the files that start servers run side by side.
    globalSetup: ['test/ensure-postgres.ts'],
    testTimeout: 30_000,
    // The SDK warns once per process that its 2027 releases need Node 22; tests run on Node 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
