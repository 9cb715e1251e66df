import type { GenerationPage } from '../../../src-shared/generation';
import type { Settings } from '../../../src-shared/settings';
import { errorContextFor, mapAwsError } from '../aws/map-error';
import type { CloudLibrary } from '../cloud/cloud-library';
import type { CloudPage } from '../cloud/history';
import { StudioError } from '../errors';
import type { EventBus } from '../events';
import type { AreaHandlers } from '../handlers';
import type { LocalLibrary, RecordPage } from '../library/local-library';
import type { GenerationView } from './view';

export interface HistoryServiceOptions {
  library: LocalLibrary;
  cloud: CloudLibrary;
  view: GenerationView;
  events: EventBus;
  settings: () => Settings;
}

/** The history: paging and searching (the project's cloud history, or this computer's library), and deleting. */
export class HistoryService {
  constructor(private readonly o: HistoryServiceOptions) {}

  /**
   * A page of history: the project's cloud history when cloud storage is on, this computer's
   * library otherwise. When the cloud cannot be reached, the first page falls back to the
   * library with a notice saying so. What could not be read is said, never hidden.
   */
  private async page(
    cursor: string | undefined,
    fromCloud: () => Promise<CloudPage>,
    fromLibrary: () => Promise<RecordPage>,
  ): Promise<GenerationPage> {
    const { cloud, library, view } = this.o;
    const withNotice = async (page: GenerationPage, ...notices: Array<string | undefined>): Promise<GenerationPage> => {
      const text = [...notices, await library.damagedNotice()].filter(Boolean).join(' ');
      return text ? { ...page, notice: text } : page;
    };
    let unreachable: string | undefined;
    if (cloud.enabled()) {
      try {
        const page = await fromCloud();
        const generations = page.records.map(({ record, sync }) =>
          view.toGeneration(record, sync, sync.state === 'cloud'),
        );
        return await withNotice(
          page.nextCursor ? { generations, nextCursor: page.nextCursor } : { generations },
          cloud.history.unreadableNotice(),
        );
      } catch (error) {
        const e = mapAwsError(error, errorContextFor(this.o.settings()));
        unreachable = `Cloud history is unreachable (${e.message}); showing this computer's library.`;
        if (cursor) return { generations: [], notice: unreachable };
      }
    }
    const page = await fromLibrary();
    return withNotice(
      {
        generations: page.records.map((r) => view.toGeneration(r)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
      unreachable,
    );
  }

  readonly handlers: AreaHandlers<'listGenerations' | 'searchGenerations' | 'deleteImages'> = {
    listGenerations: async ({ limit, cursor }) =>
      this.page(
        cursor,
        () => this.o.cloud.history.list(limit, cursor),
        () => this.o.library.list(limit, cursor),
      ),
    searchGenerations: async ({ query, limit, cursor }) =>
      this.page(
        cursor,
        () => this.o.cloud.history.search(query, limit, cursor),
        () => this.o.library.search(query, limit, cursor),
      ),
    deleteImages: async ({ generationId, imageIds }) => {
      const { library, cloud } = this.o;
      const record = await library.get(generationId);
      // Not on this computer: a cloud generation (seen in a listing), or nothing to delete.
      const cloudRecord = record ? undefined : cloud.cache.recordOf(generationId);
      if (!record && !cloud.enabled())
        throw new StudioError('library.not_found', 'That generation is not in the library (or cannot be read).');
      const before = (record ?? cloudRecord)?.images.length ?? 0;
      const left = await library.removeImages(generationId, imageIds);
      if (cloud.enabled() || record?.sync) await cloud.enqueueDelete(record, generationId, imageIds);
      const removed = imageIds ? imageIds.length : before;
      const remaining =
        left?.images.length ??
        (imageIds && cloudRecord ? cloudRecord.images.filter((i) => !imageIds.includes(i.id)).length : 0);
      this.o.events.emit({
        type: 'generation.deleted',
        generationId,
        clientId: '',
        imageIds: imageIds ?? [],
        remaining,
      });
      return { removed, remaining };
    },
  };
}
