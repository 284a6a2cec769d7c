import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

/** Octokit with the REST methods, pagination, retries of 5xx and GitHub's rate-limit rules. */
export const GitHubOctokit = Octokit.plugin(restEndpointMethods, paginateRest, retry, throttling);
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;
