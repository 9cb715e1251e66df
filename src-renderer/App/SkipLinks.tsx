import type { ReactElement } from 'react';

/** Where each skip link goes on the Generate tab (the first of each). */
const targets: ReadonlyArray<{ label: string; selector: string }> = [
  { label: 'Skip to prompt', selector: '.ss-sidebar .ss-card__textarea' },
  { label: 'Skip to Dream', selector: '.ss-dream' },
  { label: 'Skip to history', selector: '.ss-stream-main' },
];

const go = (selector: string): void => {
  const target = document.querySelector<HTMLElement>(selector);
  if (!target) return;
  // The history is a landmark, not a control: focusable for this jump only.
  if (!target.matches('button, textarea, input, select, [tabindex]')) target.tabIndex = -1;
  target.focus();
};

/** The first Tab stops of the page, hidden until focused: straight to the prompt, Dream or the history. */
export const SkipLinks = ({ generate }: { generate: boolean }): ReactElement | null =>
  generate ? (
    <nav className="ss-skip" aria-label="Skip links">
      {targets.map(({ label, selector }) => (
        <a
          key={label}
          href="#"
          className="ss-skip__link"
          onClick={(event) => {
            event.preventDefault();
            go(selector);
          }}
        >
          {label}
        </a>
      ))}
    </nav>
  ) : null;
