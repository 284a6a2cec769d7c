export { type Clone, type CloneOptions, cloneRepository } from "./clone-repository.js";
export { withGitCredentials } from "./git-credentials.js";
export { type RunGitOptions, runGit } from "./run-git.js";
