#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/ and prints one JSON line per metric.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
let failed = false;
for (const file of readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const result = spawnSync(tsx, [join(root, 'bench', file)], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // The SDK's notice that its 2027 releases need Node 22 would repeat in every benchmark's output.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (result.status !== 0) {
    console.error(`bench ${file} failed (exit ${result.status})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
