import { RequestError } from "@octokit/request-error";
import { classifyGitHubError } from "../errors/classify-github-error.js";
import { fullName, type RepoHandle } from "./repo-ref.js";

export interface StreamJobLogOptions {
  /** The whole download (headers and body) gives up after this long. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A job's raw log as a byte stream. GitHub answers the API call with a 302 to a short-lived
 * signed URL on another host; that URL is fetched without our token (it must not travel to
 * another host) and streamed, never buffered: logs reach hundreds of megabytes.
 */
export async function streamJobLog(
  handle: RepoHandle,
  jobId: number,
  options: StreamJobLogOptions = {},
): Promise<AsyncIterable<Uint8Array>> {
  const doing = `downloading the log of job ${jobId} in ${fullName(handle)}`;
  let location: string | undefined;
  try {
    const response = await handle.octokit.request("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs", {
      owner: handle.owner,
      repo: handle.repo,
      job_id: jobId,
      request: { redirect: "manual", parseSuccessResponseBody: false },
    });
    location = (response.headers as Record<string, string | undefined>).location;
    if (
      !location &&
      response.data &&
      typeof response.data === "object" &&
      Symbol.asyncIterator in (response.data as object)
    ) {
      // A server that answers with the log itself.
      return response.data as unknown as AsyncIterable<Uint8Array>;
    }
  } catch (error) {
    throw classifyGitHubError(error, doing);
  }
  if (!location) throw classifyGitHubError(new Error("GitHub gave no log location"), doing);

  const signal = AbortSignal.timeout(options.timeoutMs ?? 5 * 60_000);
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(location, { signal, redirect: "follow" });
  } catch (error) {
    throw classifyGitHubError(error, doing);
  }
  if (!res.ok || !res.body) {
    const url = new URL(location);
    throw classifyGitHubError(
      new RequestError(`log download answered ${res.status}`, res.status, {
        request: { method: "GET", url: `${url.origin}${url.pathname}`, headers: {} },
        response: {
          status: res.status,
          url: `${url.origin}${url.pathname}`,
          headers: {},
          data: await res.text().catch(() => ""),
        },
      }),
      doing,
    );
  }
  return res.body as unknown as AsyncIterable<Uint8Array>;
}
