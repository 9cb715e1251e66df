import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { newId } from '../../src-main/core/library/ids';
import { Outbox } from '../../src-main/core/cloud/outbox';
import type { Job } from '../../src-main/core/cloud/outbox';

const outboxDir = (): string => {
  const dir = join(mkdtempSync(join(tmpdir(), 'studio-outbox-')), 'outbox');
  mkdirSync(dir);
  return dir;
};

describe('outbox files on disk', () => {
  it('runs what a previous run left, and sets damaged job files aside with a warning', async () => {
    const dir = outboxDir();
    const good: Job = {
      id: newId(),
      kind: 'upload',
      generationId: newId(),
      project: 'p',
      target: { bucket: 'b', table: 't' },
      attempts: 3,
      nextAttemptAt: new Date(Date.now() + 3_600_000).toISOString(),
      uploaded: [],
    };
    writeFileSync(join(dir, `${good.id}.json`), JSON.stringify(good));
    writeFileSync(join(dir, 'truncated.json'), '{"id": "01J');
    const { target: _target, ...noTarget } = good;
    writeFileSync(join(dir, 'no-target.json'), JSON.stringify({ ...noTarget, id: 'x' }));
    writeFileSync(join(dir, 'unknown-kind.json'), JSON.stringify({ ...good, id: 'y', kind: 'copy' }));

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ran: string[] = [];
    const outbox = new Outbox(dir, {
      run: async (job) => {
        ran.push(job.id);
      },
      settled: async () => undefined,
    });
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();

    // Left over from an earlier run: due now, whatever its backoff said.
    expect(outbox.pending().map((j) => j.id)).toEqual([good.id]);
    await outbox.kick();
    expect(ran).toEqual([good.id]);
    expect(existsSync(join(dir, `${good.id}.json`))).toBe(false);

    expect(readdirSync(dir).sort()).toEqual([
      'no-target.json.damaged',
      'truncated.json.damaged',
      'unknown-kind.json.damaged',
    ]);
    expect(warnings).toHaveLength(3);
    expect(warnings.find((w) => w.startsWith('Outbox: no-target.json'))).toMatch(
      /target.*moved to no-target\.json\.damaged/,
    );
    outbox.close();
  });
});
