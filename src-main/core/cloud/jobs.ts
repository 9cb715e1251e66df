import { readFile } from 'node:fs/promises';
import type { SyncInfo } from '../../../src-shared/generation';
import { mapAwsError } from '../aws/map-error';
import type { ErrorContext } from '../aws/map-error';
import type { GenerationRecord, LocalLibrary } from '../library/local-library';
import { ensureThumbnail } from '../library/thumbnails';
import { imageFileIn } from '../safe-path';
import { syncInfo } from './history';
import { objectKey, readItem, toItem } from './items';
import { encodeThumbSheet, thumbSheetKey } from './thumb-sheet';
import type { DeleteJob, Job, UploadJob } from './outbox';
import type { CloudStore, CloudTarget } from './store';
import { log } from '../log';

/** What the outbox's jobs need: the library they read, S3 + DynamoDB, and whom to tell. */
export interface JobDeps {
  library: LocalLibrary;
  store: (target: CloudTarget) => CloudStore;
  errorContext: () => ErrorContext;
  /** A generation's cloud state changed (pending → synced, a retry failed …). */
  onSync: (generationId: string, sync: SyncInfo) => void;
}

/** Uploads a generation: each image not yet in S3 (saving progress after each), then its item. */
export const runUpload = async (deps: JobDeps, job: UploadJob, save: () => void): Promise<void> => {
  const record = await deps.library.get(job.generationId);
  if (!record) return; // deleted before it reached the cloud
  const store = deps.store(job.target);
  const dir = deps.library.dir;
  for (const image of record.images) {
    if (job.uploaded.includes(image.id)) continue;
    const bytes = await readFile(imageFileIn(dir, record.id, image.file));
    await store.putImage(objectKey(job.project, record.id, image.id, image.contentType), bytes, image.contentType, {
      generation: record.id,
      image: image.id,
      seed: String(image.seed),
    });
    job.uploaded.push(image.id);
    save();
  }
  // An edit's source image and mask go beside its images (the item names them; see toItem).
  const sources = record.sources ? [record.sources.image, ...(record.sources.mask ? [record.sources.mask] : [])] : [];
  for (const [i, file] of sources.entries()) {
    const id = file.replace(/\.png$/, '');
    if (job.uploaded.includes(id)) continue;
    const bytes = await readFile(imageFileIn(dir, record.id, file));
    await store.putImage(objectKey(job.project, record.id, id, 'image/png'), bytes, 'image/png', {
      generation: record.id,
      source: i === 0 ? 'image' : 'mask',
    });
    job.uploaded.push(id);
    save();
  }
  // The grid thumbnails go in one sheet next to the images, not in the item (a page reads items).
  if (!job.thumbs) {
    const thumbs = new Map<string, Uint8Array>();
    for (const image of record.images) {
      const thumb = imageFileIn(dir, record.id, `${image.id}.thumb.webp`);
      try {
        await ensureThumbnail(imageFileIn(dir, record.id, image.file), thumb);
        thumbs.set(image.id, await readFile(thumb));
      } catch (error) {
        log.warn(`No thumbnail for ${record.id}/${image.id}: ${String(error)}`);
      }
    }
    if (thumbs.size > 0) {
      await store.putImage(
        thumbSheetKey(job.project, record.id),
        encodeThumbSheet(thumbs),
        'application/octet-stream',
        {
          generation: record.id,
        },
      );
      job.thumbs = true;
      save();
    }
  }
  await store.putItem(toItem(job.project, record, job.thumbs === true));
};

/** Deletes S3 objects, then the item or the images it lists (recording their places as deleted). */
export const runDelete = async (deps: JobDeps, job: DeleteJob): Promise<void> => {
  const store = deps.store(job.target);
  // The thumbnail sheet goes too: whole, also when only some images go (it holds theirs).
  await store.deleteObjects([...job.keys, thumbSheetKey(job.project, job.generationId)]);
  const raw = await store.getItem(job.project, job.generationId);
  if (!raw) return;
  if (job.imageIds === 'all') return store.deleteItem(job.project, job.generationId);
  const read = readItem(job.project, raw, new Date(0).toISOString());
  // An item nobody can read was never shown, so none of its images can have been picked.
  if (!read.ok) return;
  const { record, keys, item } = read.value;
  const gone = new Set(job.imageIds);
  const left = record.images.filter((i) => !gone.has(i.id));
  if (left.length === 0) return store.deleteItem(job.project, job.generationId);
  // Every machine must agree: the places of deleted images are recorded, not left as gaps.
  const deleted = [
    ...new Set([...(record.deleted ?? []), ...record.images.filter((i) => gone.has(i.id)).map((i) => i.index)]),
  ].sort((a, b) => a - b);
  // The item as read, with only what the delete changes: attributes of other writers are kept.
  const { thumbs_key: _sheet, ...rest } = item;
  await store.putItem({
    ...rest,
    s3_object_keys: JSON.stringify(left.map((i) => keys.get(i.id))),
    deleted,
    ...(item.images ? { images: item.images.filter((i) => !gone.has(i.id)) } : {}),
  });
};

/** After each try of a job: an upload's record says synced, or pending with the reason and next try. */
export const jobSettled = async (deps: JobDeps, job: Job, error: unknown): Promise<void> => {
  if (job.kind !== 'upload') {
    if (error) log.warn(`Cloud delete of ${job.generationId} will be retried: ${job.lastError ?? ''}`);
    return;
  }
  const record = await deps.library.get(job.generationId);
  if (!record) return;
  const sync: GenerationRecord['sync'] = error
    ? {
        state: 'pending',
        project: job.project,
        reason: mapAwsError(error, deps.errorContext()).message || 'Upload failed',
        attempts: job.attempts,
        nextAttemptAt: job.nextAttemptAt,
      }
    : { state: 'synced', project: job.project };
  await deps.library.save({ ...record, sync });
  const info = syncInfo(sync);
  if (info) deps.onSync(job.generationId, info);
};
