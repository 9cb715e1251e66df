import { createHash, randomBytes } from 'node:crypto';

const newSecret = (): string => randomBytes(24).toString('base64url');

/** Secrets are kept and compared as SHA-256 digests, so a lookup's timing says nothing about them. */
const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/**
 * Who may use web mode: the link printed for the user carries a one-use token; opening it trades
 * the token for a session secret (a separate random value) that the browser keeps in a cookie.
 */
export class WebAccess {
  /** The digest of the token of the link that is valid now, if any. */
  private pending: string | undefined;
  /** Digests of tokens used up: redeemed, or replaced by a newer link before they were. */
  private readonly spent = new Set<string>();
  private readonly sessions = new Set<string>();

  /** Trades the link's token for a new session secret, once; undefined for a spent or wrong token. */
  redeem(token: string): string | undefined {
    const presented = digest(token);
    if (presented !== this.pending) return undefined;
    this.spent.add(presented);
    this.pending = undefined;
    const session = newSecret();
    this.sessions.add(digest(session));
    return session;
  }

  /** Whether the token was a real link's, used up since. */
  wasSpent(token: string): boolean {
    return this.spent.has(digest(token));
  }

  /** The token of a fresh link (random unless given); a link issued before and still unused is used up. */
  issue(token: string = newSecret()): string {
    if (this.pending !== undefined) this.spent.add(this.pending);
    this.pending = digest(token);
    return token;
  }

  isSession(secret: string | undefined): boolean {
    return secret !== undefined && this.sessions.has(digest(secret));
  }
}
