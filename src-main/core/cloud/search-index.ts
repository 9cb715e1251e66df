import { isItemId, isUlid } from '../../../src-shared/ids';
import { searchText } from '../library/search-text';
import { inputOfItem } from './items';
import { ulidRange, ulidTime } from './legacy-index';
import type { CloudStore } from './store';
import { log } from '../log';

/** After this long, a search starts reading the whole project again in the background (other machines' late uploads). */
const rereadAfterMs = 10 * 60_000;
const attributes = ['generation_id', 'studio_input', 'input_obj'];

interface Index {
  name: string;
  /** What search keeps per generation ID. */
  texts: Map<string, Indexed>;
  /** The highest ULID key read: newer items are read from there. */
  newest: string;
  readAt: number;
  rereading?: Promise<void>;
}

/** The generation ID of a raw item, when it is one by the grammar. */
export const generationIdOf = (raw: unknown): string | undefined => {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).generation_id : undefined;
  return isItemId(id) ? id : undefined;
};

/** What search keeps of a generation: its text (prompt and negative prompt, lower-cased), and its time when its ID says it. */
export interface Indexed {
  text: string;
  time?: number;
}

/** The search text of a raw item (ours or the browser plugin's), when it has a usable ID. */
export const textOf = (raw: unknown): ({ id: string } & Indexed) | undefined => {
  const id = generationIdOf(raw);
  if (!id) return undefined;
  const o = raw as Record<string, unknown>;
  const input = inputOfItem({
    ...(typeof o.studio_input === 'string' ? { studio_input: o.studio_input } : {}),
    ...(typeof o.input_obj === 'string' ? { input_obj: o.input_obj } : {}),
  });
  const time = isUlid(id) ? ulidTime(id) : undefined;
  return { id, text: searchText(input), ...(time !== undefined ? { time } : {}) };
};

/**
 * The prompts of a project's cloud history, in memory. Read whole once (one projected Query,
 * paged), then kept warm: each search reads only items newer than the newest it knows (one
 * small Query), pages teach it what they read, and every few minutes a search re-reads the
 * project in the background (uploads that arrive late with older IDs), never in a keystroke's way.
 */
export class SearchIndex {
  private index: Index | undefined;
  private building: { name: string; run: Promise<Index> } | undefined;

  private static nameOf(project: string, store: CloudStore): string {
    return `${store.target.table}\n${project}`;
  }

  /** A page read this item: its text is known from now on (when the index is of its project). */
  learn(project: string, store: CloudStore, raw: unknown): void {
    const index = this.index;
    if (index?.name !== SearchIndex.nameOf(project, store)) return;
    const found = textOf(raw);
    if (found) index.texts.set(found.id, found);
  }

  /** Items looked for and not found (deleted since): known to match nothing, not looked for again. */
  gone(project: string, store: CloudStore, ids: string[]): void {
    const index = this.index;
    if (index?.name !== SearchIndex.nameOf(project, store)) return;
    for (const id of ids) if (!index.texts.has(id)) index.texts.set(id, { text: '' });
  }

  forget(generationId: string): void {
    this.index?.texts.delete(generationId);
  }

  /** Search text per generation ID, current up to the newest item in DynamoDB. */
  async texts(project: string, store: CloudStore): Promise<Map<string, Indexed>> {
    const name = SearchIndex.nameOf(project, store);
    let index = this.index?.name === name ? this.index : undefined;
    if (!index) {
      if (this.building?.name !== name) this.building = { name, run: this.readAll(name, project, store) };
      const run = this.building.run;
      index = await run.finally(() => {
        if (this.building?.run === run) this.building = undefined;
      });
      this.index = index;
      return index.texts;
    }
    await this.readNewer(index, project, store);
    if (Date.now() - index.readAt > rereadAfterMs && !index.rereading) this.reread(index, project, store);
    return index.texts;
  }

  private async readAll(name: string, project: string, store: CloudStore): Promise<Index> {
    const texts = new Map<string, Indexed>();
    let newest = '';
    const readAt = Date.now();
    for await (const items of store.queryRange(project, {}, { pageSize: 1000, attributes })) {
      for (const raw of items) {
        const found = textOf(raw);
        if (!found) continue;
        texts.set(found.id, found);
        if (isUlid(found.id) && found.id > newest && found.id <= ulidRange().to) newest = found.id;
      }
    }
    return { name, texts, newest: newest || ulidRange().from, readAt };
  }

  /** Items whose ULID is at or above the newest known: usually none, one small Query. */
  private async readNewer(index: Index, project: string, store: CloudStore): Promise<void> {
    const range = { from: index.newest, to: ulidRange().to };
    for await (const items of store.queryRange(project, range, { pageSize: 200, attributes })) {
      for (const raw of items) {
        const found = textOf(raw);
        if (!found) continue;
        index.texts.set(found.id, found);
        if (found.id > index.newest) index.newest = found.id;
      }
    }
  }

  private reread(index: Index, project: string, store: CloudStore): void {
    index.rereading = this.readAll(index.name, project, store)
      .then((fresh) => {
        // What pages and newer reads taught meanwhile is kept; what is gone from the table goes.
        if (this.index !== index) return;
        for (const [id, text] of index.texts) if (isUlid(id) && id > fresh.newest) fresh.texts.set(id, text);
        this.index = { ...fresh, newest: fresh.newest > index.newest ? fresh.newest : index.newest };
      })
      .catch((e: unknown) => {
        log.warn(`Cloud search: reading the project again failed: ${String(e)}`);
        index.readAt = Date.now();
      })
      .finally(() => {
        index.rereading = undefined;
      });
  }
}
