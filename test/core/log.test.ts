import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { log, recentLimit, recentProblems, redact, setLogSink } from '../../src-main/core/log';
import type { LogLevel, LogSink } from '../../src-main/core/log';
import { testCredentials } from '../fakes/keys';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, configure, startCore } from '../support/core';

const lines: Array<[LogLevel, string]> = [];
let previous: LogSink;
let fake: FakeSageMaker;

beforeAll(async () => {
  previous = setLogSink((level, line) => lines.push([level, line]));
  useAwsProfiles({ default: testCredentials });
  fake = await startFakeSageMaker();
});
afterAll(async () => {
  setLogSink(previous);
  await fake.close();
});
afterEach(() => {
  lines.length = 0;
  fake.setBehaviour({ failNext: [] });
});

describe('the core’s log', () => {
  it('redacts keys, secrets, tokens, signatures and URL passwords', () => {
    const text = [
      'key AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '{"SecretAccessKey":"abc/def+ghi","SessionToken":"IQoJb3JpZ2luX2VjE","AccessKeyId":"x"}',
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=deadbeef&X-Amz-Security-Token=FQoG',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1, Signature=abcd',
      'refresh_token=eyJjdHkiOiJKV1QiLCJlbmMi id_token: eyJraWQiOiJ',
      'proxy http://me:hunter2@proxy.local:8080/',
    ].join('\n');
    const out = redact(text);
    for (const secret of [
      'IOSFODNN7EXAMPLE',
      'Y34FZKBOKMUTVV7A',
      'wJalrXUtnFEMI',
      'abc/def+ghi',
      'IQoJb3JpZ2luX2VjE',
      'deadbeef',
      'FQoG',
      'Signature=abcd',
      'eyJjdHkiOiJKV1QiLCJlbmMi',
      'eyJraWQiOiJ',
      'hunter2',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('AKIA…(redacted)');
    expect(out).toContain('https://b.s3.amazonaws.com/k?X-Amz-Credential=(redacted)');
    expect(out).toContain('http://(redacted)@proxy.local:8080/');
    // What is not a secret stays readable.
    expect(redact('Endpoint sdxl-1 is not InService (Creating)')).toBe('Endpoint sdxl-1 is not InService (Creating)');
  });

  it('keeps the last warnings and errors for diagnostics, redacted and capped', () => {
    for (let i = 0; i < recentLimit + 5; i++) log.warn(`problem ${i} with AKIAIOSFODNN7EXAMPLE`);
    log.info('not a problem');
    const recent = recentProblems();
    expect(recent).toHaveLength(recentLimit);
    expect(recent.at(-1)).toMatch(/WARN problem 54 with AKIA…\(redacted\)$/);
    expect(recent.some((l) => l.includes('not a problem'))).toBe(false);
    expect(lines.at(-1)).toEqual(['info', 'not a problem']);
  });

  it('logs every failed call and every image the endpoint refused, with the error the user saw', async () => {
    const core = startCore();
    await configure(core, {
      models: [{ modelId: 'sdxl', endpointName: 'e1' }],
      endpointOverrides: { sagemakerRuntime: fake.url },
    });
    fake.setBehaviour({ failNext: ['ModelError'] });
    const generation = await call(core, 'generate', { input: { prompt: 'a harbour' }, count: 2 });
    expect(generation.status).toBe('partial');
    const failure = generation.failures[0]?.error;
    expect(failure?.message).toBeTruthy();
    expect(lines).toContainEqual([
      'warn',
      `Generation ${generation.id}: image 1 failed (${failure?.code}): ${failure?.message}`,
    ]);
    expect(lines).toContainEqual(['info', `Generation ${generation.id}: partial, 1 image(s)`]);

    // Cloud storage is off: uploading fails with a message for the user, and the log has it too.
    const result = await core.dispatch('uploadToCloud', {});
    if (result.ok) throw new Error('uploading with cloud storage off should fail');
    expect(lines).toContainEqual(['warn', `uploadToCloud failed (${result.error.code}): ${result.error.message}`]);
    core.close();
  });
});
