export { classifyGitHubError } from "./classify-github-error.js";
