import { useCallback, useState } from 'react';

/**
 * Why an image shows nothing: when it fails to load, its URL is asked once more and the
 * answer's text (the core's reason, e.g. "The cloud copy of this image is not an image: …")
 * is shown in its place. Returns the reason (undefined while the image is fine) and the
 * `onError` handler for the `<img>`.
 */
export const useImageProblem = (src: string | undefined): [string | undefined, () => void] => {
  const [problem, setProblem] = useState<{ src: string; text: string }>();
  const onError = useCallback(() => {
    if (!src) return;
    void fetch(src, { cache: 'no-store' })
      .then(async (answer) =>
        answer.ok
          ? 'This image cannot be displayed: its file is not a picture the app can show.'
          : (await answer.text()).trim().slice(0, 400) || `This image could not be loaded (HTTP ${answer.status}).`,
      )
      .catch(() => 'This image could not be loaded.')
      .then((text) => setProblem({ src, text }));
  }, [src]);
  return [problem && problem.src === src ? problem.text : undefined, onError];
};
