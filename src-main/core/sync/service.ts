import type { CloudLibrary } from '../cloud/cloud-library';
import { StudioError } from '../errors';
import type { EventBus } from '../events';
import type { InProgress } from '../generation/in-progress';
import type { AreaHandlers } from '../handlers';
import type { LocalLibrary } from '../library/local-library';
import { log } from '../log';

export interface SyncServiceOptions {
  library: LocalLibrary;
  cloud: CloudLibrary;
  events: EventBus;
  inProgress: InProgress;
}

/** Getting the library to the cloud: the start-up catch-up after a stop, Retry sync, Upload. */
export class SyncService {
  /** The start-up work: interrupted generations finished, lost upload jobs queued again. */
  private readonly recovered: Promise<unknown>;

  constructor(private readonly o: SyncServiceOptions) {
    const busy = (id: string): boolean => o.inProgress.has(id);
    // A cache left over its size (a crash mid-trim) is trimmed once start-up is done.
    o.cloud.cache.limit.soon(10_000);
    // Uploads and deletes left from the last run (or a crash) go first.
    void o.cloud.outbox.kick();
    // A generation the last run stopped in the middle of is finished first (its complete images kept);
    // then any generation still marked pending whose job was lost, or cut short by the stop, is queued.
    this.recovered = o.library.running
      .recover()
      .catch((error: unknown) => log.warn('Library: could not finish interrupted generations', error))
      .then(() => o.cloud.requeueUnqueued(busy))
      .catch((error: unknown) => log.warn('Cloud: could not look for unqueued generations', error));
  }

  /** Resolves once the start-up work is done. */
  async started(): Promise<void> {
    await this.recovered;
  }

  readonly handlers: AreaHandlers<'retrySync' | 'uploadToCloud'> = {
    retrySync: async () => {
      await this.recovered;
      await this.o.cloud.requeueUnqueued((id) => this.o.inProgress.has(id));
      return { pending: this.o.cloud.outbox.retryNow() };
    },
    uploadToCloud: async ({ generationIds }) => {
      const { cloud, library } = this.o;
      if (!cloud.enabled()) {
        throw new StudioError(
          'storage.unavailable',
          'Cloud storage is off.',
          'Turn on “Store generated images” in Settings (table, bucket, project ID), then upload.',
        );
      }
      const ids = (generationIds ?? (await library.localOnly())).filter((id) => !this.o.inProgress.has(id));
      let queued = 0;
      for (const id of ids) {
        const record = await library.get(id);
        if (!record || record.sync || record.images.length === 0) continue;
        await cloud.enqueueUpload({ ...record, status: record.status === 'running' ? 'partial' : record.status });
        this.o.events.emit({ type: 'sync.changed', generationId: id, clientId: '', sync: { state: 'pending' } });
        queued++;
      }
      return { queued };
    },
  };
}
