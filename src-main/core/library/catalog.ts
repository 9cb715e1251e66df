import { appendFile, open, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUlid } from '../../../src-shared/ids';
import { privateFileMode } from '../fs-atomic';
import type { GenerationRecord } from './record';
import { searchText } from './search-text';

/** What the history needs of a generation without reading its generation.json. */
export interface CatalogEntry {
  /** Prompt and negative prompt, lower-cased, whitespace as single spaces (what search matches). */
  text: string;
  /** Has images and no cloud state: made while cloud storage was off. */
  localOnly: boolean;
  /** Has images and waits to reach the cloud. */
  pending: boolean;
}

export const catalogEntry = (r: GenerationRecord): CatalogEntry => ({
  // Query words hold no whitespace, so any whitespace in the text may become one space.
  text: searchText(r.input).replace(/\s+/g, ' '),
  localOnly: !r.sync && r.images.length > 0,
  pending: r.sync?.state === 'pending' && r.images.length > 0,
});

/** Reads a generation's record, or says why it cannot (without reporting it anywhere). */
export type RecordReader = (id: string) => Promise<GenerationRecord | { why: string }>;

interface State {
  entries: Map<string, CatalogEntry>;
  /** Generations whose generation.json could not be read, with why. */
  damaged: Map<string, string>;
  /** IDs newest first; rebuilt when an ID comes or goes. */
  order: string[] | undefined;
  /** How much of the log is applied, and which file it was (a compaction replaces it). */
  offset: number;
  ino: number;
  lines: number;
}

const flagsOf = (e: CatalogEntry): string => `${e.localOnly ? 'l' : ''}${e.pending ? 'p' : ''}` || '-';
const sameEntry = (a: CatalogEntry | undefined, b: CatalogEntry): boolean =>
  a !== undefined && a.text === b.text && a.localOnly === b.localOnly && a.pending === b.pending;

const putLine = (id: string, e: CatalogEntry): string => `+${id}\t${flagsOf(e)}\t${e.text}\n`;
const damagedLine = (id: string, why: string): string => `!${id}\t${why.replace(/\s+/g, ' ').slice(0, 300)}\n`;

/**
 * The library's catalog, `<root>/catalog.log`: one line per change (`+ID flags text`,
 * `-ID`, `!ID why`), appended on every save and delete that changes what the history needs.
 * Read once (lazily) and then tailed, so listing, search and the start-up look for pending
 * uploads never read every generation.json; several processes on one library (the desktop
 * app and web mode) share it. At load it is checked against the folder cheaply: when the
 * `generations/` folder changed after the log was last written (a crash between the two, or
 * a folder added or removed by hand), only the difference is read. A log that cannot be read
 * is rebuilt from the folders; one with many superseded lines is compacted.
 */
export class Catalog {
  private readonly file: string;
  private state: Promise<State> | undefined;
  private writing = Promise.resolve();

  constructor(
    root: string,
    private readonly dir: string,
    private readonly read: RecordReader,
    /** Told of each damaged generation the catalog finds on its own (the library warns). */
    private readonly found: (id: string, why: string) => void = () => undefined,
  ) {
    this.file = join(root, 'catalog.log');
  }

  /** The catalog, loaded on first use, with whatever other processes appended since applied. */
  private async current(): Promise<State> {
    if (!this.state) {
      const loading = this.load();
      this.state = loading;
      loading.catch(() => (this.state = undefined));
      return loading;
    }
    const state = await this.state;
    await this.writing;
    const info = await stat(this.file).catch(() => undefined);
    if (!info || info.ino !== state.ino || info.size < state.offset) {
      // Compacted or removed by another process: read it afresh, and check it against the folder.
      this.state = this.load(true);
      return this.state;
    }
    if (info.size > state.offset) await this.tail(state, info.size);
    return state;
  }

  private async load(check = false): Promise<State> {
    const state: State = { entries: new Map(), damaged: new Map(), order: undefined, offset: 0, ino: 0, lines: 0 };
    const [log, folder] = await Promise.all([
      stat(this.file).catch(() => undefined),
      stat(this.dir).catch(() => undefined),
    ]);
    let bad = 0;
    if (log) {
      state.ino = log.ino;
      bad = await this.tail(state, log.size);
    }
    // The folder changed after the log was written (or in the same millisecond, or there is no log):
    // list it (names only) and read only the difference.
    if (folder && (check || !log || folder.mtimeMs >= log.mtimeMs)) await this.reconcile(state);
    if (bad > 0 || state.lines > 2 * (state.entries.size + state.damaged.size) + 500) await this.compact(state);
    return state;
  }

  /** Applies the log from `state.offset` to `size`; returns how many lines made no sense (a torn write). */
  private async tail(state: State, size: number): Promise<number> {
    const handle = await open(this.file, 'r');
    let text: string;
    try {
      const bytes = Buffer.alloc(size - state.offset);
      await handle.read(bytes, 0, bytes.length, state.offset);
      text = bytes.toString('utf8');
    } finally {
      await handle.close();
    }
    // Only whole lines: a line still being appended is read next time.
    const end = text.lastIndexOf('\n') + 1;
    state.offset += Buffer.byteLength(text.slice(0, end));
    let bad = 0;
    for (const line of text.slice(0, end).split('\n')) {
      if (line === '') continue;
      state.lines++;
      if (!this.apply(state, line)) bad++;
    }
    return bad;
  }

  private apply(state: State, line: string): boolean {
    const id = line.slice(1, 27);
    if (!isUlid(id)) return false;
    const kind = line[0];
    if (kind === '-') {
      if (state.entries.delete(id)) state.order = undefined;
      state.damaged.delete(id);
      return true;
    }
    const tab = line.indexOf('\t', 28);
    if (kind === '!' && line[27] === '\t') {
      if (state.entries.delete(id)) state.order = undefined;
      state.damaged.set(id, line.slice(28));
      return true;
    }
    if (kind !== '+' || line[27] !== '\t' || tab < 0) return false;
    const flags = line.slice(28, tab);
    if (!state.entries.has(id)) {
      // A new generation is almost always the newest: it goes in front without sorting again.
      if (state.order && (state.order.length === 0 || id > (state.order[0] ?? ''))) state.order.unshift(id);
      else state.order = undefined;
    }
    state.entries.set(id, { text: line.slice(tab + 1), localOnly: flags.includes('l'), pending: flags.includes('p') });
    state.damaged.delete(id);
    return true;
  }

  /** Catches up with the folder: reads the generations the log does not know, drops those gone. */
  private async reconcile(state: State): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter(isUlid);
    } catch {
      names = [];
    }
    const present = new Set(names);
    let lines = '';
    for (const id of [...state.entries.keys(), ...state.damaged.keys()]) {
      if (present.has(id)) continue;
      lines += `-${id}\n`;
      this.apply(state, `-${id}`);
    }
    const unknown = names.filter((id) => !state.entries.has(id) && !state.damaged.has(id));
    for (let i = 0; i < unknown.length; i += 64) {
      const batch = unknown.slice(i, i + 64);
      const records = await Promise.all(batch.map((id) => this.read(id)));
      records.forEach((record, k) => {
        const id = batch[k] ?? '';
        if ('why' in record) this.found(id, record.why);
        const line = 'why' in record ? damagedLine(id, record.why) : putLine(id, catalogEntry(record));
        lines += line;
        this.apply(state, line.slice(0, -1));
      });
    }
    if (lines) await this.append(lines, state);
    // Checked: the log is now as new as the folder, so the next start does not look again.
    const now = new Date();
    await utimes(this.file, now, now).catch(() => undefined);
  }

  /** Writes the catalog as it stands, replacing the log (atomically), without superseded lines. */
  private async compact(state: State): Promise<void> {
    const lines = [
      ...[...state.entries].map(([id, e]) => putLine(id, e)),
      ...[...state.damaged].map(([id, why]) => damagedLine(id, why)),
    ].join('');
    const temp = `${this.file}.${process.pid}.compact.tmp`;
    await writeFile(temp, lines, { mode: privateFileMode });
    await rename(temp, this.file);
    const info = await stat(this.file);
    Object.assign(state, { offset: info.size, ino: info.ino, lines: state.entries.size + state.damaged.size });
  }

  /** Appends in order; the lines are applied when read back (applying twice is harmless). */
  private append(lines: string, state?: State): Promise<void> {
    this.writing = this.writing.then(async () => {
      await appendFile(this.file, lines, { mode: privateFileMode });
      if (state && state.ino === 0) state.ino = (await stat(this.file)).ino;
    });
    return this.writing;
  }

  /** A record was saved: its entry is written when what the history needs of it changed. */
  async put(record: GenerationRecord): Promise<void> {
    const state = await this.current();
    const entry = catalogEntry(record);
    if (sameEntry(state.entries.get(record.id), entry)) return;
    this.apply(state, putLine(record.id, entry).slice(0, -1));
    await this.append(putLine(record.id, entry));
  }

  async remove(id: string): Promise<void> {
    const state = await this.current();
    if (!state.entries.has(id) && !state.damaged.has(id)) return;
    this.apply(state, `-${id}`);
    await this.append(`-${id}\n`);
  }

  /** A generation.json that could not be read: remembered (and said in the history's notice) until it is saved again. */
  async damaged(id: string, why: string): Promise<void> {
    const state = await this.current();
    if (state.damaged.get(id) === why.replace(/\s+/g, ' ').slice(0, 300)) return;
    this.apply(state, damagedLine(id, why).slice(0, -1));
    await this.append(damagedLine(id, why));
  }

  /** Generation IDs, newest first. */
  async ids(): Promise<string[]> {
    const state = await this.current();
    state.order ??= [...state.entries.keys()].sort().reverse();
    return state.order;
  }

  async entries(): Promise<ReadonlyMap<string, CatalogEntry>> {
    return (await this.current()).entries;
  }

  /** Damaged generations, with why. */
  async damagedIds(): Promise<ReadonlyMap<string, string>> {
    return (await this.current()).damaged;
  }

  /** Forgets the log (tests: start over as after a lost file). */
  async reset(): Promise<void> {
    await this.writing;
    this.state = undefined;
    await rm(this.file, { force: true });
  }
}
