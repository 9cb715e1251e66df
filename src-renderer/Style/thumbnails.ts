/**
 * The bundled style thumbnails (resources/styles, drawn by
 * scripts/make-style-thumbnails.mjs). Served by the app itself as files, never
 * inlined and never fetched from elsewhere.
 */
const files = import.meta.glob<string>('../../resources/styles/*.webp', {
  eager: true,
  query: '?url&no-inline',
  import: 'default',
});

const byName = new Map<string, string>();
for (const [path, url] of Object.entries(files)) {
  const name = /([^/]+)\.webp$/.exec(path)?.[1];
  if (name) byName.set(name, url);
}

/** The thumbnail of a style preset ('' = none); undefined for a style we have no picture of. */
export const thumbnailOf = (style: string): string | undefined => byName.get(style === '' ? 'none' : style);
