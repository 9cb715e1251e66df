import type { RunningServer } from '../../src-main/server/server';

/**
 * Opens the server's first printed link as a browser would and returns the session cookie it
 * sets (`name=value`), for requests made without a browser. The link works once.
 */
export const openSession = async (server: RunningServer): Promise<string> => {
  const answer = await fetch(server.openUrl, { redirect: 'manual' });
  const cookie = answer.headers.getSetCookie()[0]?.split(';')[0];
  if (answer.status !== 302 || cookie === undefined) {
    throw new Error(`Opening ${server.openUrl} answered HTTP ${answer.status} without a session cookie`);
  }
  return cookie;
};
