import type { InstallationTokens } from "./installation-tokens.js";

/** The part of Octokit's request function an auth hook uses. */
interface RequestLike {
  (options: { url: string; headers: Record<string, string | undefined> }): Promise<unknown>;
  endpoint: {
    merge(route: unknown, parameters?: unknown): { url: string; headers: Record<string, string | undefined> };
  };
}

interface Options {
  installationId: number;
  tokens: InstallationTokens;
}

/**
 * An Octokit auth strategy backed by our token cache: every request (and every retry) asks the
 * cache, so a token renewed mid-job is picked up; a 401 drops the cached token and the request
 * is sent once more with a fresh one.
 */
export function createInstallationAuth({ installationId, tokens }: Options) {
  const auth = async () => {
    const { token, expiresAt } = await tokens.get(installationId);
    return { type: "token", tokenType: "installation", token, expiresAt: new Date(expiresAt).toISOString() };
  };
  const hook = async (request: RequestLike, route: unknown, parameters?: Record<string, unknown>) => {
    const endpoint = request.endpoint.merge(route, parameters);
    const send = async () => {
      const { token } = await tokens.get(installationId);
      endpoint.headers.authorization = `token ${token}`;
      try {
        return await request(endpoint);
      } catch (error) {
        if ((error as { status?: number }).status === 401) tokens.invalidate(installationId, token);
        throw error;
      }
    };
    try {
      return await send();
    } catch (error) {
      if ((error as { status?: number }).status !== 401) throw error;
      return send();
    }
  };
  return Object.assign(auth, { hook });
}
