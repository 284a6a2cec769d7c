import { DEFAULT_PERMISSIONS, mintInstallationToken } from "../auth/installation-tokens.js";
import { GitHubHttpError, notFound, validationFailed } from "../http/github-http-error.js";
import { paginate } from "../http/paginate.js";
import type { Router } from "../http/router.js";
import { appJson, installationJson, iso, repositoryJson } from "../http/serializers.js";

const TOKEN_DOCS = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app";

/** The App-authenticated routes (App JWT) and the installation's own listing. */
export function registerAppRoutes(router: Router): void {
  router.route("GET", "/app", "app", ({ state }) => ({
    status: 200,
    body: { ...appJson(state), installations_count: state.installations.size },
  }));

  router.route("GET", "/app/installations", "app", ({ state }) => ({
    status: 200,
    body: [...state.installations.values()].map((i) => installationJson(state, i)),
  }));

  router.route("GET", "/app/installations/{installation_id}", "app", ({ state, params }) => {
    const installation = state.installations.get(Number(params.installation_id));
    if (!installation) throw notFound();
    return { status: 200, body: installationJson(state, installation) };
  });

  router.route("GET", "/repos/{owner}/{repo}/installation", "app", ({ state, repo }) => {
    if (!repo.installed)
      throw notFound("https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app");
    return { status: 200, body: installationJson(state, state.installations.get(repo.installationId)!) };
  });

  const byAccount = (login: string) => {
    return (ctx: Parameters<Parameters<Router["route"]>[3]>[0]) => {
      const wanted = ctx.params[login]!.toLowerCase();
      const installation = [...ctx.state.installations.values()].find((i) => i.account.login.toLowerCase() === wanted);
      if (!installation) throw notFound();
      return { status: 200, body: installationJson(ctx.state, installation) };
    };
  };
  router.route("GET", "/orgs/{org}/installation", "app", byAccount("org"));
  router.route("GET", "/users/{username}/installation", "app", byAccount("username"));

  router.route("POST", "/app/installations/{installation_id}/access_tokens", "app", ({ state, params, body }) => {
    const installation = state.installations.get(Number(params.installation_id));
    if (!installation) throw notFound(TOKEN_DOCS);
    const own = [...state.repositories.values()].filter((r) => r.installed && r.installationId === installation.id);
    let repositoryIds: number[] | null = null;
    if (body.repositories !== undefined || body.repository_ids !== undefined) {
      const names = Array.isArray(body.repositories) ? (body.repositories as unknown[]) : [];
      const ids = Array.isArray(body.repository_ids) ? (body.repository_ids as unknown[]) : [];
      repositoryIds = [];
      for (const name of names) {
        const repo = own.find((r) => r.name.toLowerCase() === String(name).toLowerCase());
        if (!repo) {
          throw new GitHubHttpError(
            422,
            "There is at least one repository that does not exist or is not accessible to the parent installation.",
            { documentationUrl: TOKEN_DOCS },
          );
        }
        repositoryIds.push(repo.id);
      }
      for (const id of ids) {
        const repo = own.find((r) => r.id === Number(id));
        if (!repo) {
          throw new GitHubHttpError(
            422,
            "There is at least one repository that does not exist or is not accessible to the parent installation.",
            { documentationUrl: TOKEN_DOCS },
          );
        }
        repositoryIds.push(repo.id);
      }
    }
    let permissions: Record<string, string> | undefined;
    if (body.permissions !== undefined) {
      if (typeof body.permissions !== "object" || body.permissions === null || Array.isArray(body.permissions)) {
        throw validationFailed(
          [{ resource: "InstallationAccessToken", code: "invalid", field: "permissions" }],
          TOKEN_DOCS,
        );
      }
      permissions = { metadata: "read", ...(body.permissions as Record<string, string>) };
      for (const [name, level] of Object.entries(permissions)) {
        const granted = DEFAULT_PERMISSIONS[name];
        if (!granted || (level !== "read" && level !== "write") || (level === "write" && granted !== "write")) {
          throw new GitHubHttpError(422, "The permissions requested are not granted to this installation.", {
            documentationUrl: TOKEN_DOCS,
          });
        }
      }
    }
    const token = mintInstallationToken(state, installation.id, {
      repositoryIds,
      ...(permissions ? { permissions } : {}),
    });
    const visible = repositoryIds === null ? own : own.filter((r) => repositoryIds!.includes(r.id));
    return {
      status: 201,
      body: {
        token: token.token,
        expires_at: iso(token.expiresAt),
        permissions: token.permissions,
        repository_selection: repositoryIds === null ? "all" : "selected",
        ...(repositoryIds === null ? {} : { repositories: visible.map((r) => repositoryJson(state, r)) }),
      },
    };
  });

  router.route("GET", "/installation/repositories", "installation", (ctx) => {
    const token = ctx.token!;
    const visible = [...ctx.state.repositories.values()].filter(
      (r) =>
        r.installed &&
        r.installationId === token.installationId &&
        (token.repositoryIds === null || token.repositoryIds.includes(r.id)),
    );
    const { page, headers } = paginate(ctx, visible);
    return {
      status: 200,
      headers,
      body: {
        total_count: visible.length,
        repository_selection: token.repositoryIds === null ? "all" : "selected",
        repositories: page.map((r) => repositoryJson(ctx.state, r)),
      },
    };
  });
}
