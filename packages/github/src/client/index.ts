export { appBotLogin } from "./app-bot-login.js";
export {
  createGitHubClient,
  type GitHubClient,
  type GitHubClientOptions,
  type GitHubLog,
} from "./create-github-client.js";
export { GitHubOctokit } from "./github-octokit.js";
export { createInstallationAuth } from "./installation-auth.js";
export { type CreateInstallationToken, type InstallationToken, InstallationTokens } from "./installation-tokens.js";
export { timeoutFetch } from "./timeout-fetch.js";
