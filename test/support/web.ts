import type { RunningServer } from '../../src-main/server/server';
import type { Result } from '../../src-shared/errors';

export interface WebSession {
  /** POSTs an operation as the page does, with the session cookie. */
  call(name: string, input?: unknown): Promise<Result<unknown>>;
  /** GETs a path of the server with the session cookie. */
  get(path: string): Promise<Response>;
}

/** Opens the URL web mode prints, as a browser does, and keeps the session cookie it sets. */
export const openSession = async (server: RunningServer): Promise<WebSession> => {
  const opened = await fetch(server.openUrl, { redirect: 'manual' });
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie) throw new Error(`opening ${server.openUrl} set no cookie (status ${opened.status})`);
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
