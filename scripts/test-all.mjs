#!/usr/bin/env node
// `npm test`: static checks, unit + integration (vitest), then end-to-end (Playwright),
// ending with one line that totals every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const root = join(import.meta.dirname, '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
// The SDK's notice that its 2027 releases need Node 22 would repeat in every child process; once is enough.
if (Number(process.versions.node.split('.')[0]) < 22)
  console.log('note: Node < 22. AWS SDK releases after January 2027 need Node 22; its per-process warning is muted.');
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

const suites = [];
// Every failed check or test, named again just above the total, so the tail of a long log says what failed.
const failures = [];
const firstLine = (text) =>
  stripVTControlCharacters(String(text ?? ''))
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean) ?? '';
const record = (name, passed, failed, skipped, note = '') => {
  suites.push({ name, passed, failed, skipped });
  console.log(`\n${name}: ${passed} passed, ${failed} failed, ${skipped} skipped${note ? ` (${note})` : ''}`);
};

// 1. Static checks: each command is one check.
for (const [name, args] of [
  ['typecheck', ['run', 'typecheck']],
  ['lint', ['run', 'lint']],
]) {
  console.log(`\n== ${name} ==`);
  const ok = run('npm', args) === 0;
  if (!ok) failures.push(`${name}: npm run ${args[1]} failed (see its output above)`);
  record(name, ok ? 1 : 0, ok ? 0 : 1, 0);
}

// 2. Unit and integration tests.
console.log('\n== unit + integration (vitest) ==');
const vitestReport = join(tmp, 'vitest-report.json');
rmSync(vitestReport, { force: true });
const vitestStatus = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const r = JSON.parse(readFileSync(vitestReport, 'utf8'));
  const crashed = vitestStatus !== 0 && r.numFailedTests === 0 ? 1 : 0;
  for (const file of r.testResults ?? []) {
    const rel = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
    for (const a of file.assertionResults ?? [])
      if (a.status === 'failed') failures.push(`vitest ${rel} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed')
      failures.push(`vitest ${rel}: ${firstLine(file.message)}`);
  }
  if (crashed) failures.push(`vitest exited with status ${vitestStatus} without a failed test`);
  record('vitest', r.numPassedTests, r.numFailedTests + crashed, r.numPendingTests + r.numTodoTests);
} else record('vitest', 0, 1, 0, 'no report: vitest did not run');

// 3. Build, then end-to-end.
console.log('\n== build ==');
const buildOk = run('npm', ['run', 'build']) === 0;
if (!buildOk) failures.push('build: npm run build failed (see its output above)');
record('build', buildOk ? 1 : 0, buildOk ? 0 : 1, 0);

console.log('\n== end-to-end (Playwright) ==');
const e2eReport = join(tmp, 'e2e-report.json');
rmSync(e2eReport, { force: true });
const e2eStatus = buildOk ? run(bin('playwright'), ['test']) : 1;
if (existsSync(e2eReport)) {
  const r = JSON.parse(readFileSync(e2eReport, 'utf8'));
  const reasons = new Set();
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? []) {
        for (const a of t.annotations ?? [])
          if (a.type === 'skip' && a.description) reasons.add(`${t.projectName}: ${a.description}`);
        if (t.status === 'unexpected' || t.status === 'flaky') {
          const last = t.results?.at(-1);
          const label = t.status === 'flaky' ? 'passed on retry' : firstLine(last?.error?.message);
          failures.push(`e2e [${t.projectName}] ${spec.file}:${spec.line} › ${spec.title}: ${label}`);
        }
      }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const s of r.suites ?? []) walk(s);
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = r.stats ?? {};
  const crashed = e2eStatus !== 0 && unexpected === 0 ? 1 : 0;
  if (crashed) failures.push(`Playwright exited with status ${e2eStatus} without a failed test`);
  for (const reason of reasons) console.log(`skipped — ${reason}`);
  record('e2e', expected + flaky, unexpected + crashed, skipped);
} else record('e2e', 0, 1, 0, buildOk ? 'no report: Playwright did not run' : 'not run: the build failed');

const total = suites.reduce((t, s) => ({ p: t.p + s.passed, f: t.f + s.failed, s: t.s + s.skipped }), {
  p: 0,
  f: 0,
  s: 0,
});
if (failures.length > 0) {
  console.log(`\nwhat failed or needed a retry (${failures.length}):`);
  for (const f of failures) console.log(`  - ${f.slice(0, 400)}`);
}
console.log(`\ntotal: ${total.p} passed, ${total.f} failed, ${total.s} skipped`);
process.exit(total.f === 0 ? 0 : 1);
