import type { GitHubClient } from "./create-github-client.js";

/**
 * The App's bot login (`<slug>[bot]`), asked of GitHub once (`GET /app`) and remembered; a
 * failed ask is retried on the next call. It tells fixfleet's own comments from people's.
 */
export function appBotLogin(github: Pick<GitHubClient, "app">): () => Promise<string | undefined> {
  let login: Promise<string | undefined> | undefined;
  return () => {
    login ??= github.app.octokit
      .request("GET /app")
      .then(({ data }) => (data?.slug ? `${data.slug}[bot]` : undefined))
      .catch(() => {
        login = undefined;
        return undefined;
      });
    return login;
  };
}
