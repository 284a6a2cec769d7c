import { classifyError, FixfleetError, PermanentError, TransientError } from "@fixfleet/shared";

interface RequestErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === "number" &&
    (error as unknown as { status: number }).status > 0 &&
    "request" in error
  );
}

/** The permission an App needs for a call, named as GitHub's App settings page names it. */
function permissionFor(method: string, path: string): string | undefined {
  if (/\/git\/|\/contents\//.test(path)) return method === "GET" ? "Contents: read" : "Contents: read and write";
  if (/\/check-runs/.test(path)) return "Checks: read and write";
  if (/\/issues\/.*comments|\/issues\/comments/.test(path)) return "Pull requests: read and write";
  if (/\/pulls/.test(path)) return "Pull requests: read";
  if (/\/actions\//.test(path)) return "Actions: read";
  return undefined;
}

/**
 * Turns an Octokit RequestError (or anything else thrown while talking to GitHub) into our
 * taxonomy, with a reason a person can act on. `doing` says what we were doing, e.g.
 * "reading the log of job 42 in acme/shop".
 */
export function classifyGitHubError(error: unknown, doing?: string): FixfleetError {
  if (error instanceof FixfleetError) return error;
  if (!isRequestError(error)) {
    const base = classifyError(error);
    if (!doing) return base;
    return base.kind === "transient"
      ? new TransientError(`${doing}: ${base.reason}`, { cause: error, code: base.code })
      : new PermanentError(`${doing}: ${base.reason}`, { cause: error, code: base.code });
  }
  const status = error.status;
  const method = error.request?.method ?? "GET";
  const url = error.request?.url ?? "";
  const path = safePath(url);
  const call = `${method} ${path}`;
  const headers = error.response?.headers ?? {};
  const message = githubMessage(error);
  const prefix = doing ? `${doing}: ` : "";
  const opts = (code: string) => ({ cause: error, code });

  const rateLimited =
    (status === 403 || status === 429) &&
    (String(headers["x-ratelimit-remaining"]) === "0" ||
      /rate limit/i.test(message) ||
      headers["retry-after"] !== undefined);
  if (rateLimited) {
    const retryAfterMs = retryAfterOf(headers);
    const secondary = /secondary rate/i.test(message);
    return new TransientError(
      `${prefix}GitHub's ${secondary ? "secondary " : ""}rate limit was hit (${call}); trying again ${
        retryAfterMs === undefined ? "later" : `in ${Math.ceil(retryAfterMs / 1000)} s`
      }`,
      { ...opts(secondary ? "github_secondary_rate_limit" : "github_rate_limit"), retryAfterMs },
    );
  }
  if (status >= 500 || status === 408) {
    return new TransientError(`${prefix}GitHub answered ${status} to ${call}: ${message}`, {
      ...opts("github_unavailable"),
      retryAfterMs: retryAfterOf(headers),
    });
  }
  switch (status) {
    case 401:
      return new PermanentError(
        `${prefix}GitHub refused the App's credentials (401 ${message}) on ${call}; check GITHUB_APP_ID and the private key, and that the App is not suspended`,
        opts("github_unauthorized"),
      );
    case 403: {
      const permission = permissionFor(method, path);
      return new PermanentError(
        `${prefix}the GitHub App lacks permission for ${call} (403 ${message})${
          permission
            ? `; grant it "${permission}" in the App's settings and accept the new permissions on the installation`
            : ""
        }`,
        opts("github_forbidden"),
      );
    }
    case 404:
      return new PermanentError(
        `${prefix}not found: ${call} (404); the repository may be gone or renamed, the object deleted, or the App no longer installed on it`,
        opts("github_not_found"),
      );
    case 409:
      return new PermanentError(
        `${prefix}GitHub reports a conflict on ${call} (409 ${message})`,
        opts("github_conflict"),
      );
    case 410:
      return new PermanentError(`${prefix}${call} is gone (410 ${message})`, opts("github_gone"));
    case 422:
      return new PermanentError(`${prefix}GitHub refused ${call} as invalid (422 ${message})`, opts("github_invalid"));
    default:
      return new PermanentError(`${prefix}GitHub answered ${status} to ${call}: ${message}`, opts(`github_${status}`));
  }
}

/** GitHub's own message and any field errors of a 422, without the documentation link. */
function githubMessage(error: RequestErrorLike): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  let message = typeof data?.message === "string" ? data.message : error.message.split(" - ")[0] || "no message";
  if (Array.isArray(data?.errors) && data.errors.length > 0) {
    const details = data.errors
      .map((e) =>
        typeof e === "string"
          ? e
          : ((e as { message?: string; code?: string; field?: string }).message ??
            [(e as { field?: string }).field, (e as { code?: string }).code].filter(Boolean).join(" ")),
      )
      .filter(Boolean);
    if (details.length > 0) message += `: ${details.join("; ")}`;
  }
  return message;
}

function retryAfterOf(headers: Record<string, string | number | undefined>): number | undefined {
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - Date.now()) + 1000;
  return undefined;
}

/** The path of a request URL without its query (which may hold a signed blob URL's secrets). */
function safePath(url: string): string {
  try {
    return new URL(url, "https://api.github.com").pathname;
  } catch {
    return url.split("?")[0] ?? url;
  }
}
