import { takeOpenedFiles } from '../app-services';
import { lazyPart } from '../Lazy';
import { showError } from '../Toast';

/** Reading a PNG's parameters (and zod) loads on the first import, off the start-up bundle. */
const importer = lazyPart(() => import('./importFile'));

/** Imports the first image of `files`: its parameters into the sidebar, or else as the init image. */
export const importFiles = async (files: File[]): Promise<void> => {
  try {
    await (await importer.load()).importDroppedFiles(files);
  } catch (error) {
    showError('Could not import the file', error);
  }
};

/**
 * Desktop: imports the PNG files the system asked the app to open ("Open with", the dock icon,
 * File → Import PNG…), each once; says which could not be read.
 */
export const importOpenedFiles = async (): Promise<void> => {
  let opened;
  try {
    opened = await takeOpenedFiles();
  } catch (error) {
    showError('Could not open the file', error);
    return;
  }
  for (const problem of opened.problems) showError('Could not open the file', new Error(problem));
  // Each in turn: the last one's parameters are what the sidebar keeps.
  for (const file of opened.files)
    await importFiles([new File([new Uint8Array(file.bytes)], file.name, { type: 'image/png' })]);
};
