import { describe, expect, it } from 'vitest';
import { mapAwsError } from '../../src-main/core/aws/map-error';
import { transportFailure } from '../../src-main/core/aws/transport-failure';

// The shapes @smithy/node-http-handler and Node raise (see transport-failure.ts); the cases the
// flaky runtime cannot stage on a loopback connection. The others are covered end to end in
// lost-connections.test.ts.
const named = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), { name }, extra);

describe('transportFailure tells a slow model from a lost connection', () => {
  it.each([
    [
      'the handler’s request timeout',
      named('TimeoutError', 'a request has exceeded the configured 70000 ms requestTimeout.', { code: 'ETIMEDOUT' }),
      'response-timeout',
    ],
    [
      'the socket inactivity timeout',
      named('TimeoutError', 'the request socket timed out after 900000 ms of inactivity'),
      'response-timeout',
    ],
    [
      'no connection within connectionTimeout',
      named('TimeoutError', 'the request socket did not establish a connection with the server within 10000 ms.'),
      'connect-timeout',
    ],
    [
      'the OS giving up on connect',
      named('Error', 'connect ETIMEDOUT 10.0.0.1:443', { code: 'ETIMEDOUT', syscall: 'connect' }),
      'connect-timeout',
    ],
    [
      'a dead connection',
      named('TimeoutError', 'read ETIMEDOUT', { code: 'ETIMEDOUT', syscall: 'read' }),
      'connection-lost',
    ],
    [
      'a write to a closed connection',
      named('TimeoutError', 'write EPIPE', { code: 'EPIPE', syscall: 'write' }),
      'connection-lost',
    ],
    ['a cancel', named('AbortError', 'Request aborted'), undefined],
    ['an AWS error', named('ThrottlingException', 'Rate exceeded'), undefined],
  ] as const)('%s', (_label, error, expected) => {
    expect(transportFailure(error)).toBe(expected);
  });

  it('connects nowhere in time: says so, without blaming the model', () => {
    const e = mapAwsError(named('TimeoutError', 'the request socket did not establish a connection within 10000 ms.'), {
      endpointName: 'sdxl',
    });
    expect(e).toMatchObject({ code: 'aws.unreachable', message: 'Could not connect to endpoint "sdxl" in time.' });
    expect(e.hint).not.toMatch(/steps/);
  });
});
