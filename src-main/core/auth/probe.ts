import { StudioError } from '../errors';

export type ProbeAnswer = { ok: true; target: string; message: string } | { ok: false; error: StudioError };

const notRegistered = (redirectUri: string): StudioError =>
  new StudioError(
    'auth.config',
    `The app client does not allow the callback URL ${redirectUri}.`,
    'Add it exactly to the app client’s allowed callback URLs (the README lists them).',
  );

/** What an `error` from the sign-in page means for this app's set-up. */
const meaning = (error: string, description: string, redirectUri: string): StudioError => {
  if (/redirect/i.test(error) || /redirect_uri/i.test(description)) return notRegistered(redirectUri);
  if (error === 'invalid_scope') {
    return new StudioError(
      'auth.config',
      `The app client is not allowed the scopes asked for (${description || error}).`,
      'Allow openid, email and profile for the app client (Cognito: App client → Login pages).',
    );
  }
  if (error === 'unauthorized_client' || error === 'invalid_client' || /client/i.test(description)) {
    return new StudioError(
      'auth.config',
      `The user pool does not accept this app client (${description || error}).`,
      'Check the app client ID, and that the client is a public client with the authorization code grant.',
    );
  }
  return new StudioError('auth.config', `The sign-in page refused this app (${description || error}).`);
};

/**
 * Asks the pool's sign-in page for a sign-in as Sign in would, without following it: a page that
 * goes on to its login form takes this app client and callback URL; one that answers with an
 * error (in a redirect, or on its own error page) says what is wrong.
 */
export const probeAuthorization = async (
  authorizationEndpoint: string,
  clientId: string,
  redirectUri: string,
): Promise<ProbeAnswer> => {
  const url = new URL(authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    state: 'connection-test',
    // Any S256 challenge: this request is never exchanged.
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    return {
      ok: false,
      error: new StudioError(
        'auth.unreachable',
        `Cannot reach the sign-in page at ${url.host}: ${error instanceof Error ? error.message : String(error)}.`,
        'Check the network.',
      ),
    };
  }
  const location = response.headers.get('location');
  if (location) {
    const next = new URL(location, url);
    const error = next.searchParams.get('error');
    if (error)
      return { ok: false, error: meaning(error, next.searchParams.get('error_description') ?? '', redirectUri) };
    return { ok: true, target: 'signInClient', message: `The sign-in page takes this app client and ${redirectUri}.` };
  }
  if (response.ok) {
    return { ok: true, target: 'signInClient', message: `The sign-in page takes this app client and ${redirectUri}.` };
  }
  const body = (await response.text()).slice(0, 4000);
  const error =
    /\b(invalid_redirect_uri|redirect_mismatch|invalid_client|unauthorized_client|invalid_scope|invalid_request)\b/.exec(
      body,
    )?.[1] ?? '';
  const description = /redirect_uri[^<]*/i.exec(body)?.[0] ?? '';
  return { ok: false, error: meaning(error || `HTTP ${response.status}`, description, redirectUri) };
};
