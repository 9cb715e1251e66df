/**
 * When the focused element leaves the page (an image or a generation deleted, a confirmation
 * replaced), the browser drops focus to <body> and a keyboard user must start again from the
 * top. This gives focus to what took its place: the next sibling of the nearest part of the
 * page that is still there (else the previous one), or that part itself.
 */

const focusable =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

interface Place {
  element: Element;
  next: Element | null;
  previous: Element | null;
}

const placesOf = (element: Element): Place[] => {
  const places: Place[] = [];
  for (let node: Element | null = element; node && node !== document.body; node = node.parentElement)
    places.push({ element: node, next: node.nextElementSibling, previous: node.previousElementSibling });
  return places;
};

const firstFocusableIn = (element: Element): HTMLElement | undefined => {
  if (element instanceof HTMLElement && element.matches(focusable)) return element;
  return element.querySelector<HTMLElement>(focusable) ?? undefined;
};

const rescue = (places: Place[]): void => {
  // The nearest surviving part of the page; its removed child sat between `next` and `previous`.
  const index = places.findIndex((place) => place.element.isConnected);
  const removed = places[index - 1];
  const survivor = places[index]?.element;
  if (!removed || !survivor) return;
  // A dialog that went away gives focus back to its opener itself (useModal).
  if (places.slice(0, index).some((place) => place.element instanceof HTMLDialogElement)) return;
  // What now stands where the removed element stood (a name field replaced by its button), else
  // what followed it, else what preceded it.
  const replacement = removed.previous?.isConnected
    ? removed.previous.nextElementSibling
    : (survivor.firstElementChild ?? null);
  for (const candidate of [replacement, removed.next, removed.previous]) {
    const target = candidate?.isConnected ? firstFocusableIn(candidate) : undefined;
    if (target) {
      target.focus();
      return;
    }
  }
  firstFocusableIn(survivor)?.focus();
};

/** Starts watching; returns the function that stops. */
export const keepFocusOnThePage = (): (() => void) => {
  let places: Place[] = [];
  const onFocusIn = (event: FocusEvent): void => {
    if (event.target instanceof Element) places = placesOf(event.target);
  };
  // Chromium fires no focusout when a focused element is removed: watch the page change instead.
  const observer = new MutationObserver(() => {
    const lost = places[0]?.element;
    if (!lost) return;
    // Still there: keep its neighbours current, for the change that removes it.
    if (lost.isConnected) {
      if (document.activeElement === lost) places = placesOf(lost);
      return;
    }
    if (document.activeElement && document.activeElement !== document.body) return;
    const from = places;
    places = [];
    // After the event that removed it has run its course: a key still being handled (Enter's
    // keypress after its keydown) must not land on what receives the focus.
    window.setTimeout(() => {
      if (!document.activeElement || document.activeElement === document.body) rescue(from);
    }, 0);
  });
  document.addEventListener('focusin', onFocusIn);
  observer.observe(document.body, { childList: true, subtree: true });
  return () => {
    document.removeEventListener('focusin', onFocusIn);
    observer.disconnect();
  };
};
