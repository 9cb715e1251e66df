import { StudioError } from '../errors';
import type { AreaHandlers } from '../handlers';
import type { ImageService } from '../images/service';

/** What only the desktop app can do with a file, provided by the Electron shell. */
export interface DesktopActions {
  reveal(path: string): void;
  startDrag(path: string): void;
}

/** Desktop actions on images: reveal in the file manager, drag out of the window. */
export class DesktopService {
  constructor(
    private readonly images: ImageService,
    private readonly desktop: DesktopActions | undefined,
  ) {}

  /** A file path for the desktop's reveal and drag actions. */
  private async pathOf(generationId: string, imageId: string): Promise<{ path: string; desktop: DesktopActions }> {
    if (!this.desktop) throw new StudioError('unsupported', 'This action needs the desktop app.');
    const found = await this.images.original(generationId, imageId);
    if ('problem' in found) throw new StudioError('library.not_found', found.problem);
    return { path: found.path, desktop: this.desktop };
  }

  readonly handlers: AreaHandlers<'getCapabilities' | 'revealImage' | 'startImageDrag'> = {
    getCapabilities: async () => ({ desktop: this.desktop !== undefined }),
    revealImage: async ({ generationId, imageId }) => {
      const { path, desktop } = await this.pathOf(generationId, imageId);
      desktop.reveal(path);
      return true;
    },
    startImageDrag: async ({ generationId, imageId }) => {
      const { path, desktop } = await this.pathOf(generationId, imageId);
      desktop.startDrag(path);
      return true;
    },
  };
}
