/** Keyboard combinations, matched and shown the platform's way (⌘ on macOS, Ctrl elsewhere). */

export const isMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export interface Combo {
  /** Ctrl on Windows and Linux, ⌘ on macOS (either is accepted everywhere). */
  mod?: boolean;
  alt?: boolean;
  shift?: boolean;
  /** KeyboardEvent.code for letters (layout- and Option-proof), KeyboardEvent.key otherwise. */
  code?: string;
  key?: string;
}

export const matches = (combo: Combo, event: KeyboardEvent): boolean => {
  const mod = event.ctrlKey || event.metaKey;
  if (Boolean(combo.mod) !== mod || Boolean(combo.alt) !== event.altKey) return false;
  if (combo.shift !== undefined && combo.shift !== event.shiftKey) return false;
  if (combo.code) return event.code === combo.code;
  return event.key === combo.key;
};

const keyName = (combo: Combo): string => {
  if (combo.code?.startsWith('Key')) return combo.code.slice(3);
  const key = combo.key ?? combo.code ?? '';
  const names: Record<string, string> = {
    Enter: isMac() ? '↵' : 'Enter',
    Escape: 'Esc',
    ArrowLeft: '←',
    ArrowRight: '→',
    ' ': 'Space',
  };
  return names[key] ?? key.toUpperCase();
};

/** The keys of a combination, one per key cap: ["⌘", "K"] or ["Ctrl", "K"]. */
export const keyCaps = (combo: Combo): string[] => {
  const mac = isMac();
  const caps: string[] = [];
  if (combo.mod) caps.push(mac ? '⌘' : 'Ctrl');
  if (combo.alt) caps.push(mac ? '⌥' : 'Alt');
  if (combo.shift) caps.push(mac ? '⇧' : 'Shift');
  caps.push(keyName(combo));
  return caps;
};

/** Typing in a field: plain keys belong to the field, only combinations with modifiers are shortcuts. */
export const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement &&
      !['button', 'checkbox', 'radio', 'range', 'submit', 'reset'].includes(target.type)));
