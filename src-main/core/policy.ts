import { itemIdSource } from '../../src-shared/ids';

/**
 * Security decisions shared by the Electron shell and web mode, as pure functions
 * so they are unit-tested without Electron.
 */

/** The custom scheme the app is served from in Electron. */
export const appScheme = 'app';
export const appHost = 'studio';
export const appOrigin = `${appScheme}://${appHost}`;
/** The custom scheme images are served from in Electron. */
export const imageScheme = 'studio-image';

export const contentSecurityPolicy = (dev = false): string =>
  [
    "default-src 'none'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${imageScheme}:`,
    "font-src 'self'",
    // The image scheme too: "Copy image" fetches the bytes it shows.
    dev ? `connect-src 'self' ${imageScheme}: ws:` : `connect-src 'self' ${imageScheme}:`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');

/** The renderer may only ever show the app itself: every navigation away is denied. */
export const isNavigationAllowed = (targetUrl: string, appUrl: string): boolean => {
  try {
    const target = new URL(targetUrl);
    const app = new URL(appUrl);
    return target.origin === app.origin && target.protocol === app.protocol && target.host === app.host;
  } catch {
    return false;
  }
};

/** Links the app may hand to the system browser: https only, known hosts only. */
const externalAllowlist = ['docs.aws.amazon.com', 'console.aws.amazon.com', 'github.com'];
export const isExternalUrlAllowed = (url: string): boolean => {
  try {
    const u = new URL(url);
    return (
      u.protocol === 'https:' &&
      externalAllowlist.some((host) => u.hostname === host || u.hostname.endsWith(`.${host}`))
    );
  } catch {
    return false;
  }
};

/**
 * Permission requests (camera, geolocation, notifications …) are denied; the one exception is
 * writing an image to the clipboard ("Copy image"), which the user asks for with a click.
 */
const grantedPermissions = new Set(['clipboard-sanitized-write']);
export const isPermissionGranted = (permission: string): boolean => grantedPermissions.has(permission);

/** IPC is only answered for the app's own top-level frame. */
export const isTrustedSender = (senderUrl: string | undefined, appUrl: string): boolean =>
  senderUrl !== undefined && senderUrl !== '' && isNavigationAllowed(senderUrl, appUrl);

/** Generation and image IDs: ULIDs (ours) or UUIDs (written by the StableStudio browser plugin). */
const imagePathPattern = new RegExp(
  `^/(${itemIdSource}|uploads|editor)/(${itemIdSource})\\.(png|jpg|thumb\\.webp|params\\.png)$`,
);

export interface ImageRef {
  generationId: string;
  imageId: string;
  /**
   * `png` / `jpg`: the image as generated; `thumb.webp`: its grid thumbnail; `params.png`: a
   * download with the parameters embedded. Generation `uploads` holds init images the user brought, `editor` the Edit tab's layer images.
   */
  variant: 'png' | 'jpg' | 'thumb.webp' | 'params.png';
}

/**
 * Maps an image URL path (`/<generationId>/<imageId>.<png|jpg|thumb.webp>`) to what the
 * library resolves. Anything else (extra segments, dots, encoded slashes) is refused.
 */
export const parseImagePath = (pathname: string): ImageRef | undefined => {
  const match = imagePathPattern.exec(pathname);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { generationId: match[1], imageId: match[2], variant: match[3] as ImageRef['variant'] };
};

/** Maps a request path under the renderer folder to a file inside it; undefined for anything that escapes. */
export const resolveStaticPath = (pathname: string): string | undefined => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return undefined;
  return segments.length === 0 ? 'index.html' : segments.join('/');
};

/**
 * Where a download lands in the desktop app: the Downloads folder, without overwriting
 * (`name.png`, `name (1).png` …), as browsers do. Only the file's base name is kept.
 */
export const uniqueDownloadName = (wanted: string, exists: (name: string) => boolean): string => {
  const cleaned = [...wanted.replace(/^.*[\\/]/, '')]
    .map((c) => ((c.codePointAt(0) ?? 0) < 32 || '<>:"|?*'.includes(c) ? '_' : c))
    .join('');
  const base = cleaned || 'image.png';
  const dot = base.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  let name = base;
  for (let i = 1; exists(name); i++) name = `${stem} (${i})${ext}`;
  return name;
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** The Content-Type of an app or library file, by extension (both the protocol and web mode serve them). */
export const contentTypeOf = (path: string): string => {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 ? contentTypes[path.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
};
