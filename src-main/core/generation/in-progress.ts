/** IDs of the generations this process is making right now: their records are not final yet. */
export class InProgress {
  private readonly ids = new Set<string>();

  add(generationId: string): void {
    this.ids.add(generationId);
  }

  delete(generationId: string): void {
    this.ids.delete(generationId);
  }

  has(generationId: string): boolean {
    return this.ids.has(generationId);
  }
}
