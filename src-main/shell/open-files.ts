import { resolve } from 'node:path';

/** The PNG files named on a command line (a launch by "Open with", or a second launch), as absolute paths. */
export const pngPathsIn = (args: readonly string[], cwd: string): string[] =>
  args.filter((a) => !a.startsWith('-') && /\.png$/i.test(a)).map((a) => resolve(cwd, a));

/** Files the system asked the app to open, held until the page takes them (it may not be loaded yet). */
export class OpenedPaths {
  private paths: string[] = [];

  /** Adds `paths` (each once); says whether any was added. */
  add(paths: readonly string[]): boolean {
    const fresh = paths.filter((p) => !this.paths.includes(p));
    this.paths.push(...fresh);
    return fresh.length > 0;
  }

  take(): string[] {
    const taken = this.paths;
    this.paths = [];
    return taken;
  }
}
