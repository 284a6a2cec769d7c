export { parseRepoConfig } from "./parse-repo-config.js";
export { type ConfigProblem, formatProblem, RepoConfigError } from "./repo-config-error.js";
export {
  DEFAULT_REPO_CONFIG,
  limitsSchema,
  protectedPaths,
  REPO_CONFIG_PATH,
  type RepoConfig,
  type RepoConfigInput,
  repoConfigSchema,
  sandboxConfigSchema,
} from "./repo-config-schema.js";
