import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import { Generations } from '../Generation';
import type { Block } from '../Generation';
import { announcementFor } from './announce';

/** A polite live region that says how this window's Dreams go (see `announcementFor`). */
export const DreamAnnouncer = (): ReactElement => {
  const [text, setText] = useState('');
  useEffect(() => {
    let seen = new Map<string, Block>();
    return Generations.subscribe(({ blocks }) => {
      const next = new Map<string, Block>();
      let said: string | undefined;
      for (const block of blocks) {
        const before = seen.get(block.key);
        // Only live Dreams are followed: pages of history arriving say nothing.
        if (!block.running && !before?.running) continue;
        said = announcementFor(before, block) ?? said;
        next.set(block.key, block);
      }
      seen = next;
      if (said) setText(said);
    });
  }, []);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
};
