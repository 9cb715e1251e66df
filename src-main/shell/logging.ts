import { join } from 'node:path';
import log from 'electron-log/main';
import { setLogSink } from '../core/log';

/** The desktop app's log: `<data folder>/logs/main.log`, rotated to `main.old.log` at 1 MB. */
export const logFile = (dataDir: string): string => join(dataDir, 'logs', 'main.log');

/**
 * Sends the core's log (already redacted) to a rotating file in the data folder, and warnings and
 * errors also to the terminal the app was started from. Help → Show Logs opens the folder.
 */
export const startFileLog = (dataDir: string): void => {
  log.transports.file.resolvePathFn = () => logFile(dataDir);
  log.transports.file.maxSize = 1024 * 1024;
  log.transports.file.level = 'info';
  log.transports.console.level = 'warn';
  setLogSink((level, line) => log[level](line));
};
