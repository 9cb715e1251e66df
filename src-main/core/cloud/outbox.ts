import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { itemIdSchema, parseObjectKey, projectIdSchema, ulidSchema } from '../../../src-shared/ids';
import { mkdirPrivateSync, writeFileAtomicSync } from '../fs-atomic';
import { newId } from '../library/ids';
import { pathInside } from '../safe-path';
import { log } from '../log';

const jobBase = z.object({
  id: ulidSchema,
  generationId: itemIdSchema,
  project: projectIdSchema,
  target: z.object({ bucket: z.string(), table: z.string() }),
  attempts: z.number().int().min(0),
  /** ISO time before which the job is not tried again. */
  nextAttemptAt: z.string(),
  lastError: z.string().optional(),
});

/** A job file on disk; what does not match is set aside, never run half-understood. */
const jobSchema = z.discriminatedUnion('kind', [
  jobBase.extend({
    kind: z.literal('upload'),
    /** Image IDs already in S3, so a retry after a crash only sends what is missing. */
    uploaded: z.array(itemIdSchema),
    /** The thumbnail sheet is in S3 (not sent again after a crash). */
    thumbs: z.boolean().optional(),
  }),
  jobBase
    .extend({
      kind: z.literal('delete'),
      /** Image IDs to remove from the item, or every image (the item goes). */
      imageIds: z.union([z.array(itemIdSchema), z.literal('all')]),
      /** S3 keys to delete: only ever this generation's own objects. */
      keys: z.array(z.string()),
    })
    .refine(
      (job) =>
        job.keys.every((k) => {
          const key = parseObjectKey(k);
          return key?.project === job.project && key.generationId === job.generationId;
        }),
      { message: "A delete job names S3 keys outside its own generation's folder", path: ['keys'] },
    ),
]);

export type Job = z.infer<typeof jobSchema>;
export type UploadJob = Extract<Job, { kind: 'upload' }>;
export type DeleteJob = Extract<Job, { kind: 'delete' }>;
export type NewJob =
  Omit<UploadJob, 'id' | 'attempts' | 'nextAttemptAt'> | Omit<DeleteJob, 'id' | 'attempts' | 'nextAttemptAt'>;

export interface OutboxHooks {
  run(job: Job, save: () => void): Promise<void>;
  /** After each try: `error` undefined means done. */
  settled(job: Job, error: unknown): Promise<void>;
}

const oneLine = (error: unknown): string =>
  (error instanceof z.ZodError ? z.prettifyError(error) : String(error)).replace(/\n\s*/g, ' ');

/** Backoff after the n-th failure: 2 s, 4 s, 8 s … capped at 5 min, with ±20 % jitter. */
export const retryDelayMs = (attempts: number): number => {
  const base = Math.min(2_000 * 2 ** Math.max(0, attempts - 1), 300_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
};

/**
 * Cloud work that must not be lost: one JSON file per job under `<dataDir>/outbox`,
 * written before the work starts and removed only once it is done. Jobs run one at a
 * time in the order they were queued, retried with backoff, again at start-up, and on demand.
 */
export class Outbox {
  private readonly jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly hooks: OutboxHooks,
  ) {
    mkdirPrivateSync(dir);
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      let job: Job;
      try {
        job = jobSchema.parse(JSON.parse(readFileSync(pathInside(dir, name), 'utf8')));
      } catch (error) {
        // Kept for a person to look at (the generation itself is safe in the local library).
        const aside = `${name}.damaged`;
        log.warn(`Outbox: ${name} is damaged (${oneLine(error)}); moved to ${aside}.`);
        renameSync(pathInside(dir, name), pathInside(dir, aside));
        continue;
      }
      // A new start is a retry: everything left over is due now.
      this.jobs.set(job.id, { ...job, nextAttemptAt: new Date(0).toISOString() });
    }
  }

  private save(job: Job): void {
    writeFileAtomicSync(pathInside(this.dir, `${job.id}.json`), JSON.stringify(job));
  }

  /** Queues a job; one that breaks the job grammar (an ID or key from outside) is refused, never saved. */
  add(job: NewJob): Job {
    const full = jobSchema.parse({ ...job, id: newId(), attempts: 0, nextAttemptAt: new Date(0).toISOString() });
    this.save(full);
    this.jobs.set(full.id, full);
    this.kick();
    return full;
  }

  /** Drops queued jobs of a generation (e.g. its upload, when it was deleted before reaching the cloud). */
  drop(predicate: (job: Job) => boolean): void {
    for (const job of [...this.jobs.values()]) {
      if (predicate(job)) {
        this.jobs.delete(job.id);
        rmSync(pathInside(this.dir, `${job.id}.json`), { force: true });
      }
    }
  }

  pending(): Job[] {
    return [...this.jobs.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  retryNow(): number {
    const now = new Date().toISOString();
    for (const job of this.jobs.values()) job.nextAttemptAt = now;
    this.kick();
    return this.jobs.size;
  }

  /** Runs every due job; resolves when the queue is idle. */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.rerun) {
        this.rerun = false;
        void this.kick();
      } else this.schedule();
    });
    return this.running;
  }

  /** Resolves once nothing is running or due (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const job = this.pending().find((j) => Date.parse(j.nextAttemptAt) <= now);
      if (!job || this.closed) return;
      try {
        await this.hooks.run(job, () => this.save(job));
        this.jobs.delete(job.id);
        rmSync(pathInside(this.dir, `${job.id}.json`), { force: true });
        await this.hooks
          .settled(job, undefined)
          .catch((e: unknown) => log.warn('Outbox: could not record a result', e));
      } catch (error) {
        job.attempts += 1;
        job.lastError = error instanceof Error ? error.message : String(error);
        job.nextAttemptAt = new Date(Date.now() + retryDelayMs(job.attempts)).toISOString();
        if (this.jobs.has(job.id)) this.save(job);
        await this.hooks.settled(job, error).catch((e: unknown) => log.warn('Outbox: could not record a result', e));
        // A failing job must not hold back the others of other generations; later jobs of
        // the same generation wait for it (an item is never deleted before it was written).
        const blocked = job.generationId;
        for (const other of this.jobs.values()) {
          if (other.generationId === blocked && other.id > job.id) other.nextAttemptAt = job.nextAttemptAt;
        }
      }
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const next = Math.min(...this.pending().map((j) => Date.parse(j.nextAttemptAt)));
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => void this.kick(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
