import type { GitIdentity } from "../git/bare-repository.js";
import { buildTree, type TreeChange, TreePathMissingError } from "../git/build-tree.js";
import { notFound, unprocessable, validationFailed } from "../http/github-http-error.js";
import type { RouteContext, Router } from "../http/router.js";
import { botAccount, repoApiUrl } from "../http/serializers.js";
import { validateBody } from "../http/validate.js";
import { gitCommitJson } from "./git-json.js";

const DOCS = "https://docs.github.com/rest/git";
const MODES: Record<string, TreeChange["type"][]> = {
  "100644": ["blob"],
  "100755": ["blob"],
  "120000": ["blob"],
  "040000": ["tree"],
  "160000": ["commit"],
};
const SHA = /^[0-9a-f]{40}$/;
const BAD_OBJECT = "GitRPC::BadObjectState";

function refJson(ctx: RouteContext, ref: string, sha: string, type: string) {
  const api = repoApiUrl(ctx.state, ctx.repo);
  return {
    ref,
    node_id: Buffer.from(`0:Ref${ctx.repo.id}:${ref}`).toString("base64"),
    url: `${api}/git/${ref}`,
    object: { sha, type, url: `${api}/git/${type === "tag" ? "tags" : "commits"}/${sha}` },
  };
}

function validPath(path: string): boolean {
  return (
    path.length > 0 &&
    !path.startsWith("/") &&
    !path.endsWith("/") &&
    path.split("/").every((part) => part !== "" && part !== "." && part !== ".." && part.toLowerCase() !== ".git")
  );
}

function identity(input: unknown, fallback: GitIdentity, field: string, docs: string): GitIdentity {
  if (input === undefined) return fallback;
  if (typeof input !== "object" || input === null) {
    throw validationFailed([{ resource: "Commit", code: "invalid", field }], docs);
  }
  const value = input as Record<string, unknown>;
  validateBody(value, "Commit", { required: { name: "string", email: "string" }, optional: { date: "string" } }, docs);
  let date = fallback.date;
  if (typeof value.date === "string") {
    const ms = Date.parse(value.date);
    if (Number.isNaN(ms))
      throw validationFailed([{ resource: "Commit", code: "invalid", field: `${field}.date` }], docs);
    date = Math.floor(ms / 1000);
  }
  return { name: value.name as string, email: value.email as string, date };
}

/** The Git Data API, written through to the bare repository with git plumbing. */
export function registerGitDataRoutes(router: Router): void {
  router.route("POST", "/repos/{owner}/{repo}/git/blobs", "installation", async (ctx) => {
    const docs = `${DOCS}/blobs#create-a-blob`;
    validateBody(ctx.body, "Blob", { required: { content: "string" }, optional: { encoding: "string" } }, docs);
    const encoding = (ctx.body.encoding as string | undefined) ?? "utf-8";
    if (encoding !== "utf-8" && encoding !== "base64") {
      throw validationFailed([{ resource: "Blob", code: "invalid", field: "encoding" }], docs);
    }
    const content = Buffer.from(ctx.body.content as string, encoding === "base64" ? "base64" : "utf8");
    const sha = await ctx.repo.git.writeBlob(content);
    const url = `${repoApiUrl(ctx.state, ctx.repo)}/git/blobs/${sha}`;
    return { status: 201, body: { url, sha }, headers: { location: url } };
  });

  router.route("GET", "/repos/{owner}/{repo}/git/blobs/{file_sha}", "installation", async (ctx) => {
    const sha = ctx.params.file_sha!;
    if ((await ctx.repo.git.objectType(sha)) !== "blob") throw notFound(`${DOCS}/blobs#get-a-blob`);
    const data = await ctx.repo.git.readBlob(sha);
    return {
      status: 200,
      body: {
        sha,
        node_id: Buffer.from(`0:Blob${sha.slice(0, 8)}`).toString("base64"),
        size: data.length,
        url: `${repoApiUrl(ctx.state, ctx.repo)}/git/blobs/${sha}`,
        content: data.toString("base64").replace(/.{1,60}/g, "$&\n"),
        encoding: "base64",
      },
    };
  });

  router.route("POST", "/repos/{owner}/{repo}/git/trees", "installation", async (ctx) => {
    const docs = `${DOCS}/trees#create-a-tree`;
    validateBody(ctx.body, "Tree", { required: { tree: "array" }, optional: { base_tree: "string" } }, docs);
    const git = ctx.repo.git;
    let baseTree: string | null = null;
    if (typeof ctx.body.base_tree === "string") {
      const base = ctx.body.base_tree;
      const type = SHA.test(base) ? await git.objectType(base) : null;
      if (type === "tree") baseTree = base;
      else if (type === "commit") baseTree = (await git.readCommit(base))!.tree;
      else throw unprocessable(BAD_OBJECT, docs);
    }
    const changes: TreeChange[] = [];
    for (const [index, raw] of (ctx.body.tree as unknown[]).entries()) {
      const entry = (raw ?? {}) as Record<string, unknown>;
      const field = (name: string) => `tree[${index}].${name}`;
      if (typeof entry.path !== "string" || !validPath(entry.path)) {
        throw validationFailed(
          [
            {
              resource: "Tree",
              code: typeof entry.path === "string" ? "invalid" : "missing_field",
              field: field("path"),
            },
          ],
          docs,
        );
      }
      const mode = entry.mode;
      const type = entry.type;
      if (typeof mode !== "string" || !(mode in MODES)) {
        throw validationFailed(
          [{ resource: "Tree", code: mode === undefined ? "missing_field" : "invalid", field: field("mode") }],
          docs,
        );
      }
      if (typeof type !== "string" || !MODES[mode]!.includes(type as TreeChange["type"])) {
        throw validationFailed(
          [{ resource: "Tree", code: type === undefined ? "missing_field" : "invalid", field: field("type") }],
          docs,
        );
      }
      const hasSha = "sha" in entry;
      const hasContent = typeof entry.content === "string";
      if (hasSha && hasContent) {
        throw unprocessable("Invalid request.\n\nOnly one of tree.sha or tree.content may be given.", docs);
      }
      if (!hasSha && !hasContent) {
        throw validationFailed([{ resource: "Tree", code: "missing_field", field: field("sha") }], docs);
      }
      if (hasContent) {
        if (type !== "blob")
          throw validationFailed([{ resource: "Tree", code: "invalid", field: field("content") }], docs);
        changes.push({ path: entry.path, mode, type, content: Buffer.from(entry.content as string, "utf8") });
        continue;
      }
      if (entry.sha === null) {
        changes.push({ path: entry.path, mode, type: type as TreeChange["type"], sha: null });
        continue;
      }
      const sha = entry.sha;
      if (typeof sha !== "string" || !SHA.test(sha)) {
        throw validationFailed([{ resource: "Tree", code: "invalid", field: field("sha") }], docs);
      }
      // Submodule entries point at commits of another repository, which need not exist here.
      if (type !== "commit" && (await git.objectType(sha)) !== type) {
        throw unprocessable(`tree.sha ${sha} is not a valid ${type}`, docs);
      }
      changes.push({ path: entry.path, mode, type: type as TreeChange["type"], sha });
    }
    let sha: string;
    try {
      sha = await buildTree(git, baseTree, changes);
    } catch (error) {
      if (error instanceof TreePathMissingError) throw unprocessable(BAD_OBJECT, docs);
      throw error;
    }
    const url = `${repoApiUrl(ctx.state, ctx.repo)}/git/trees/${sha}`;
    return { status: 201, body: await treeJson(ctx, sha, false), headers: { location: url } };
  });

  router.route("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}", "installation", async (ctx) => {
    const git = ctx.repo.git;
    const wanted = ctx.params.tree_sha!;
    let sha: string | null = null;
    const type = SHA.test(wanted) ? await git.objectType(wanted) : null;
    if (type === "tree") sha = wanted;
    else {
      const commit = await git.resolveCommit(wanted);
      if (commit) sha = (await git.readCommit(commit))!.tree;
    }
    if (!sha) throw notFound(`${DOCS}/trees#get-a-tree`);
    const recursive =
      ctx.query.recursive !== undefined &&
      ctx.query.recursive !== "" &&
      ctx.query.recursive !== "0" &&
      ctx.query.recursive !== "false";
    return { status: 200, body: await treeJson(ctx, sha, recursive) };
  });

  router.route("POST", "/repos/{owner}/{repo}/git/commits", "installation", async (ctx) => {
    const docs = `${DOCS}/commits#create-a-commit`;
    validateBody(
      ctx.body,
      "Commit",
      {
        required: { message: "string", tree: "string" },
        optional: { parents: "array", author: "object", committer: "object", signature: "string" },
      },
      docs,
    );
    const git = ctx.repo.git;
    const tree = ctx.body.tree as string;
    if (!SHA.test(tree) || (await git.objectType(tree)) !== "tree")
      throw unprocessable("Tree SHA does not exist", docs);
    const parents = (ctx.body.parents as unknown[] | undefined) ?? [];
    for (const parent of parents) {
      if (typeof parent !== "string" || !SHA.test(parent) || (await git.objectType(parent)) !== "commit") {
        throw unprocessable("Parent SHA does not exist or is not a commit object", docs);
      }
    }
    const bot = botAccount(ctx.state);
    const now = Math.floor(ctx.state.now() / 1000);
    const fallback = { name: bot.login, email: `${bot.id}+${bot.login}@users.noreply.github.com`, date: now };
    const author = identity(ctx.body.author, fallback, "author", docs);
    const committer = identity(
      ctx.body.committer,
      ctx.body.author === undefined ? fallback : author,
      "committer",
      docs,
    );
    const sha = await git.writeCommit({
      tree,
      parents: parents as string[],
      message: ctx.body.message as string,
      author,
      committer,
    });
    const json = gitCommitJson(ctx.state, ctx.repo, (await git.readCommit(sha))!);
    return { status: 201, body: json, headers: { location: json.url } };
  });

  router.route("GET", "/repos/{owner}/{repo}/git/commits/{commit_sha}", "installation", async (ctx) => {
    const commit = await ctx.repo.git.readCommit(ctx.params.commit_sha!);
    if (!commit) throw notFound(`${DOCS}/commits#get-a-commit-object`);
    return { status: 200, body: gitCommitJson(ctx.state, ctx.repo, commit) };
  });

  router.route("GET", "/repos/{owner}/{repo}/git/ref/{ref}", "installation", async (ctx) => {
    const full = `refs/${ctx.params.ref}`;
    const sha = await ctx.repo.git.readRef(full);
    if (!sha || !(await ctx.repo.git.listRefs(full)).some((r) => r.ref === full)) {
      throw notFound(`${DOCS}/refs#get-a-reference`);
    }
    return { status: 200, body: refJson(ctx, full, sha, (await ctx.repo.git.objectType(sha)) ?? "commit") };
  });

  router.route(
    "GET",
    "/repos/{owner}/{repo}/git/matching-refs/{ref}",
    "installation",
    async (ctx) => {
      const prefix = `refs/${ctx.params.ref ?? ""}`;
      const refs = (await ctx.repo.git.listRefs("refs/")).filter((r) => r.ref.startsWith(prefix));
      return { status: 200, body: refs.map((r) => refJson(ctx, r.ref, r.sha, "commit")) };
    },
    ["/repos/{owner}/{repo}/git/matching-refs/"],
  );

  router.route("POST", "/repos/{owner}/{repo}/git/refs", "installation", async (ctx) => {
    const docs = `${DOCS}/refs#create-a-reference`;
    validateBody(ctx.body, "Reference", { required: { ref: "string", sha: "string" } }, docs);
    const ref = ctx.body.ref as string;
    const sha = ctx.body.sha as string;
    if (!ref.startsWith("refs/") || ref.split("/").length < 3 || !isValidRefName(ref)) {
      throw unprocessable(`${ref} is not a valid ref name.`, docs);
    }
    if (!SHA.test(sha) || !(await ctx.repo.git.objectType(sha))) throw unprocessable("Object does not exist", docs);
    if (await ctx.repo.git.readRef(ref)) throw unprocessable("Reference already exists", docs);
    await ctx.repo.git.updateRef(ref, sha, null);
    const json = refJson(ctx, ref, sha, (await ctx.repo.git.objectType(sha))!);
    return { status: 201, body: json, headers: { location: json.url } };
  });

  router.route("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", "installation", async (ctx) => {
    const docs = `${DOCS}/refs#update-a-reference`;
    validateBody(ctx.body, "Reference", { required: { sha: "string" }, optional: { force: "boolean" } }, docs);
    const full = `refs/${ctx.params.ref}`;
    const sha = ctx.body.sha as string;
    const current = await ctx.repo.git.readRef(full);
    if (!current) throw unprocessable("Reference does not exist", docs);
    if (!SHA.test(sha) || !(await ctx.repo.git.objectType(sha))) throw unprocessable("Object does not exist", docs);
    if (ctx.body.force !== true && current !== sha && !(await ctx.repo.git.isAncestor(current, sha))) {
      throw unprocessable("Update is not a fast forward", docs);
    }
    try {
      await ctx.repo.git.updateRef(full, sha, current);
    } catch {
      // Someone moved the ref between our read and our write: GitHub answers the same way.
      throw unprocessable("Update is not a fast forward", docs);
    }
    return { status: 200, body: refJson(ctx, full, sha, (await ctx.repo.git.objectType(sha))!) };
  });

  router.route("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}", "installation", async (ctx) => {
    const full = `refs/${ctx.params.ref}`;
    if (!(await ctx.repo.git.readRef(full)))
      throw unprocessable("Reference does not exist", `${DOCS}/refs#delete-a-reference`);
    await ctx.repo.git.deleteRef(full);
    return { status: 204 };
  });
}

async function treeJson(ctx: RouteContext, sha: string, recursive: boolean) {
  const api = repoApiUrl(ctx.state, ctx.repo);
  const entries = await ctx.repo.git.listTree(sha, { recursive, withTrees: recursive });
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === "blob" ? { size: e.size ?? 0 } : {}),
      url: `${api}/git/${e.type === "tree" ? "trees" : e.type === "blob" ? "blobs" : "commits"}/${e.sha}`,
    })),
    truncated: false,
  };
}

function isValidRefName(ref: string): boolean {
  return (
    /^[A-Za-z0-9._\-/]+$/.test(ref) &&
    !ref.includes("..") &&
    !ref.includes("//") &&
    !ref.endsWith("/") &&
    !ref.endsWith(".lock") &&
    !ref.split("/").some((part) => part.startsWith("."))
  );
}
