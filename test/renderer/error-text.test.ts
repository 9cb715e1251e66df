import { describe, expect, it } from 'vitest';
import { withHint } from '../../src-shared/errors';

describe('an error as one line of text', () => {
  it('puts the hint after the message as a sentence of its own', () => {
    expect(withHint({ message: 'The endpoint is not in service', hint: 'Start it in SageMaker.' })).toBe(
      'The endpoint is not in service. Start it in SageMaker.',
    );
    // A message that already ends a sentence (or leads into the hint) gets no second stop.
    expect(withHint({ message: 'Nothing was made.', hint: 'Try again.' })).toBe('Nothing was made. Try again.');
    expect(withHint({ message: 'Why it failed:', hint: 'the disk is full.' })).toBe('Why it failed: the disk is full.');
  });

  it('is the message alone when there is no hint', () => {
    expect(withHint({ message: 'Cancelled' })).toBe('Cancelled');
    expect(withHint({ message: 'Cancelled', hint: '' })).toBe('Cancelled');
  });
});
