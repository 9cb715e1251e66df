import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { mkdirPrivateSync, writeFileAtomicSync } from './fs-atomic';
import { log } from './log';

/**
 * Small app state that is not a user setting and must never reach the renderer
 * (e.g. Cognito identity IDs, which grant guest credentials). One JSON file, atomic writes.
 */
export class StateStore {
  private data: Record<string, string>;

  constructor(private readonly path: string) {
    this.data = this.load();
  }

  private load(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch (error) {
      const target = `${this.path}.corrupt-${Date.now()}`;
      renameSync(this.path, target);
      log.warn(`App state could not be read (${String(error)}); moved to ${target}.`);
      return {};
    }
  }

  get(key: string): string | undefined {
    return this.data[key];
  }

  set(key: string, value: string): void {
    if (this.data[key] === value) return;
    this.data = { ...this.data, [key]: value };
    this.flush();
  }

  delete(key: string): void {
    if (!(key in this.data)) return;
    const { [key]: _removed, ...rest } = this.data;
    this.data = rest;
    this.flush();
  }

  private flush(): void {
    mkdirPrivateSync(dirname(this.path));
    writeFileAtomicSync(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
