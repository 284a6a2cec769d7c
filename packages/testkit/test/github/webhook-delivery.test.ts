import type { RequestError } from "@octokit/request-error";
import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../src/github/index.js";
import { webhookExample, webhookExamples } from "../../src/webhooks/index.js";
import { installationOctokit, missingKeys, startWebhookReceiver, type TestOctokitInstance } from "./helpers.js";

const SECRET = "webhook-s3cret";

describe("fake GitHub delivers the App's webhooks as users act", () => {
  let gh: FakeGitHub;
  let octokit: TestOctokitInstance;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let pr: { number: number; headSha: string };
  const repo = { owner: "acme", repo: "shop" };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gh = await startFakeGitHub({ webhook: { url: receiver.url, secret: SECRET } });
    await gh.createRepository({ owner: "acme", name: "shop", files: { "README.md": "shop\n" } });
    await gh.commit({ repo: "acme/shop", branch: "fix", files: { "a.txt": "a\n" }, message: "add a" });
    pr = await gh.openPullRequest({ repo: "acme/shop", head: "fix", title: "Fix it", user: "bob" });
    octokit = await installationOctokit(gh, "acme");
  });
  afterAll(async () => {
    await gh.stop();
    await receiver.stop();
  });

  it("a user's comment on a pull request is delivered as issue_comment created, signed, before the action resolves", async () => {
    gh.setPermission("acme/shop", "alice", "maintain");
    const before = receiver.received.length;
    const { id, delivery } = await gh.comment({
      repo: "acme/shop",
      issueNumber: pr.number,
      body: "/fixfleet stop",
      user: "alice",
    });
    expect(receiver.received.length).toBe(before + 1);
    const hook = receiver.received.at(-1)!;
    expect(hook.headers["x-github-event"]).toBe("issue_comment");
    expect(hook.headers["x-github-delivery"]).toBe(delivery!.deliveryId);
    expect(hook.headers["x-github-hook-installation-target-type"]).toBe("integration");
    expect(await verify(SECRET, hook.body, hook.headers["x-hub-signature-256"]!)).toBe(true);
    expect(await verify("wrong", hook.body, hook.headers["x-hub-signature-256"]!)).toBe(false);
    expect(delivery).toMatchObject({ event: "issue_comment", action: "created", status: 202 });

    const p = hook.payload;
    expect(p).toMatchObject({
      action: "created",
      issue: {
        number: pr.number,
        title: "Fix it",
        state: "open",
        user: { login: "bob" },
        labels: [],
        pull_request: {
          url: `${gh.url}/repos/acme/shop/pulls/${pr.number}`,
          html_url: `https://github.com/acme/shop/pull/${pr.number}`,
          merged_at: null,
        },
      },
      comment: {
        id,
        body: "/fixfleet stop",
        user: { login: "alice", type: "User" },
        author_association: "MEMBER",
        performed_via_github_app: null,
      },
      repository: { full_name: "acme/shop" },
      sender: { login: "alice" },
      installation: { id: gh.installationId("acme") },
      organization: { login: "acme" },
    });
    expect(p.issue.pull_request).toHaveProperty("diff_url");
    expect(p.issue.pull_request).toHaveProperty("patch_url");
    // Every key GitHub's own examples carry, on the envelope, the issue and the comment.
    const examples = webhookExamples("issue_comment").filter((e) => e.action === "created");
    for (const example of examples) {
      expect(missingKeys(example, p).filter((k) => k !== "enterprise")).toEqual([]);
      expect(missingKeys(example.issue, p.issue)).toEqual([]);
      expect(missingKeys(example.comment, p.comment)).toEqual([]);
      expect(missingKeys(example.issue.user, p.issue.user)).toEqual([]);
      expect(missingKeys(example.repository, p.repository)).toEqual([]);
    }
    const withInstallation = examples.find((e) => e.installation);
    expect(missingKeys(withInstallation.installation, p.installation)).toEqual([]);
  });

  it("derives author_association from the commenter's role", async () => {
    gh.setPermission("acme/shop", "carol", "write");
    const association = async (user: string) =>
      (await gh.comment({ repo: "acme/shop", issueNumber: pr.number, body: "hi", user })).delivery!.payload.comment
        .author_association;
    expect(await association("acme")).toBe("OWNER");
    expect(await association("carol")).toBe("COLLABORATOR");
    expect(await association("stranger")).toBe("NONE");
  });

  it("the App's own comment through REST is the bot's and is delivered too, after the answer", async () => {
    const { data } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: pr.number,
      body: "I am fixfleet",
    });
    expect(data.user?.login).toBe(`${gh.appSlug}[bot]`);
    await gh.webhooksSettled();
    const last = gh.deliveries.at(-1)!;
    expect(last).toMatchObject({ event: "issue_comment", action: "created", status: 202 });
    expect(last.payload.comment).toMatchObject({
      id: data.id,
      user: { login: `${gh.appSlug}[bot]`, type: "Bot" },
      performed_via_github_app: { id: gh.appId, slug: gh.appSlug },
    });
    expect(last.payload.sender.login).toBe(`${gh.appSlug}[bot]`);
  });

  it("a comment on a plain issue carries no pull_request", async () => {
    const { number } = gh.openIssue({ repo: "acme/shop", title: "Question" });
    const { delivery } = await gh.comment({ repo: "acme/shop", issueNumber: number, body: "?", user: "dave" });
    expect(delivery!.payload.issue.number).toBe(number);
    expect(delivery!.payload.issue).not.toHaveProperty("pull_request");
  });

  it("records a failed delivery instead of throwing, and delivers in order", async () => {
    receiver.settings.status = 500;
    const failed = await gh.comment({ repo: "acme/shop", issueNumber: pr.number, body: "one", user: "alice" });
    expect(failed.delivery!.status).toBe(500);
    receiver.settings.status = 202;

    gh.setWebhookTarget({ url: "http://127.0.0.1:1/nobody-listens", secret: SECRET });
    const refused = await gh.comment({ repo: "acme/shop", issueNumber: pr.number, body: "two", user: "alice" });
    expect(refused.delivery).toMatchObject({ status: null, error: expect.any(String) });
    expect(gh.deliveries.at(-1)!.deliveryId).toBe(refused.delivery!.deliveryId);

    gh.setWebhookTarget(undefined);
    const quiet = await gh.comment({ repo: "acme/shop", issueNumber: pr.number, body: "three", user: "alice" });
    expect(quiet.delivery).toBeUndefined();

    gh.setWebhookTarget({ url: receiver.url, secret: SECRET });
    receiver.settings.delayMs = 50;
    const start = receiver.received.length;
    await Promise.all(
      ["a", "b", "c"].map((body) => gh.comment({ repo: "acme/shop", issueNumber: pr.number, body, user: "alice" })),
    );
    receiver.settings.delayMs = 0;
    expect(receiver.received.slice(start).map((r) => r.payload.comment.body)).toEqual(["a", "b", "c"]);
  });

  it("labels: REST add (object and array forms), list, remove with 404 when absent; users' labels deliver labeled/unlabeled", async () => {
    const { data: added } = await octokit.rest.issues.addLabels({ ...repo, issue_number: pr.number, labels: ["bug"] });
    expect(added.map((l) => l.name)).toEqual(["bug"]);
    expect(added[0]).toMatchObject({ name: "bug", color: "d73a4a", default: true, description: expect.any(String) });
    const asArray = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      ...repo,
      issue_number: pr.number,
      data: ["needs review"],
    } as never);
    expect((asArray.data as Array<{ name: string }>).map((l) => l.name)).toEqual(["bug", "needs review"]);
    const { data: listed } = await octokit.rest.issues.listLabelsOnIssue({ ...repo, issue_number: pr.number });
    expect(listed.map((l) => l.name)).toEqual(["bug", "needs review"]);
    await octokit.rest.issues.removeLabel({ ...repo, issue_number: pr.number, name: "needs review" });
    const missing = await octokit.rest.issues
      .removeLabel({ ...repo, issue_number: pr.number, name: "needs review" })
      .catch((e: RequestError) => e);
    expect((missing as RequestError).status).toBe(404);
    const bad = await octokit.rest.issues
      .addLabels({ ...repo, issue_number: pr.number, labels: [""] })
      .catch((e: RequestError) => e);
    expect((bad as RequestError).status).toBe(422);
    const noIssue = await octokit.rest.issues.listLabelsOnIssue({ ...repo, issue_number: 999 }).catch((e) => e);
    expect((noIssue as RequestError).status).toBe(404);
    await gh.webhooksSettled();

    const { delivery } = await gh.addLabel({
      repo: "acme/shop",
      number: pr.number,
      label: "fixfleet:skip",
      user: "alice",
    });
    const p = delivery!.payload;
    expect(delivery).toMatchObject({ event: "pull_request", action: "labeled" });
    expect(p).toMatchObject({
      number: pr.number,
      label: { name: "fixfleet:skip", color: "ededed", default: false },
      pull_request: { number: pr.number, labels: [{ name: "bug" }, { name: "fixfleet:skip" }] },
      sender: { login: "alice" },
    });
    const example = webhookExample("pull_request", { action: "labeled" });
    expect(missingKeys(example, p)).toEqual([]);
    expect(missingKeys(example.label, p.label)).toEqual([]);
    expect(missingKeys(example.pull_request, p.pull_request)).toEqual([]);
    expect(gh.labels("acme/shop", pr.number)).toEqual(["bug", "fixfleet:skip"]);
    const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(pull.labels.map((l) => l.name)).toEqual(["bug", "fixfleet:skip"]);

    const removed = await gh.removeLabel({
      repo: "acme/shop",
      number: pr.number,
      label: "fixfleet:skip",
      user: "alice",
    });
    expect(removed.removed).toBe(true);
    expect(removed.delivery).toMatchObject({ event: "pull_request", action: "unlabeled" });
    expect(removed.delivery!.payload.label.name).toBe("fixfleet:skip");
    expect(await gh.removeLabel({ repo: "acme/shop", number: pr.number, label: "nope", user: "alice" })).toEqual({
      removed: false,
      delivery: undefined,
    });
  });

  it("reactions: 201 new, 200 again, 422 bad content, paginated list, counts on the comment; no webhook", async () => {
    const { id } = await gh.comment({ repo: "acme/shop", issueNumber: pr.number, body: "fixed?", user: "alice" });
    const sentBefore = gh.deliveries.length;
    const first = await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: id, content: "eyes" });
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({ content: "eyes", user: { login: `${gh.appSlug}[bot]` } });
    const again = await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: id, content: "eyes" });
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    const bad = await octokit.rest.reactions
      .createForIssueComment({ ...repo, comment_id: id, content: "thumbsup" as "+1" })
      .catch((e: RequestError) => e);
    expect((bad as RequestError).status).toBe(422);
    expect(gh.react({ repo: "acme/shop", commentId: id, content: "+1", user: "bob" }).created).toBe(true);
    expect(gh.react({ repo: "acme/shop", commentId: id, content: "+1", user: "bob" }).created).toBe(false);
    gh.react({ repo: "acme/shop", commentId: id, content: "-1", user: "carol" });
    gh.react({ repo: "acme/shop", commentId: id, content: "+1", user: "dave" });
    const page = await octokit.rest.reactions.listForIssueComment({ ...repo, comment_id: id, per_page: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.reactions.listForIssueComment, { ...repo, comment_id: id });
    expect(all.map((r) => r.content)).toEqual(["eyes", "+1", "-1", "+1"]);
    const plus = await octokit.rest.reactions.listForIssueComment({ ...repo, comment_id: id, content: "+1" });
    expect(plus.data.map((r) => r.user?.login)).toEqual(["bob", "dave"]);
    const { data: comment } = await octokit.rest.issues.getComment({ ...repo, comment_id: id });
    expect(comment.reactions).toMatchObject({ total_count: 4, "+1": 2, "-1": 1, eyes: 1, heart: 0 });
    expect(gh.reactions("acme/shop", id)).toHaveLength(4);
    expect(gh.deliveries.length).toBe(sentBefore);
  });
});
