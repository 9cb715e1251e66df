import type { RunningServer } from '../../src-main/server/server';
import type { Result } from '../../src-shared/errors';

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

export interface WebClient {
  /** POSTs an operation as the page does, with the session cookie. */
  call(name: string, input?: unknown): Promise<Result<unknown>>;
  /** GETs a path of the server with the session cookie. */
  get(path: string): Promise<Response>;
}

/** A session (see `openSession`) with the two kinds of request the page makes. */
export const openWebClient = async (server: RunningServer): Promise<WebClient> => {
  const cookie = await openSession(server);
  return {
    call: async (name, input) => {
      const answer = await fetch(`${server.url}/api/${name}`, {
        method: 'POST',
        headers: { cookie, 'Content-Type': 'application/json' },
        body: input === undefined ? '' : JSON.stringify(input),
      });
      return (await answer.json()) as Result<unknown>;
    },
    get: (path) => fetch(`${server.url}${path}`, { headers: { cookie } }),
  };
};
