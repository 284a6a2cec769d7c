import { controlJobDataSchema } from "@fixfleet/shared";
import { webhookExample, webhookExamples } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, prComment, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const SHA = "c".repeat(40);

async function controlJobs() {
  const jobs = await h.ingest.controlQueue.getJobs(["waiting", "delayed", "active", "completed", "failed"]);
  return jobs.map((j) => controlJobDataSchema.parse(j.data));
}

function fixPush(message: string, ref = "refs/heads/feature-x") {
  const example = structuredClone(webhookExample("push"));
  example.ref = ref;
  example.after = SHA;
  example.deleted = false;
  example.commits = [{ ...example.head_commit, id: SHA, message }];
  example.head_commit = example.commits[0];
  return example;
}

describe("/fixfleet commands in pull request comments", () => {
  it("are stored once per delivery for the worker, with who asked and where", async () => {
    const payload = prComment("Thanks!\n\n/fixfleet stop\n");
    const first = await h.webhook("issue_comment", payload, { deliveryId: "cmd-delivery-1" });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: true, control: "command" });
    const again = await h.webhook("issue_comment", payload, { deliveryId: "cmd-delivery-1" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    const stored = (await controlJobs()).filter((j) => j.deliveryId === "cmd-delivery-1");
    expect(stored).toEqual([
      {
        v: 1,
        type: "command",
        deliveryId: "cmd-delivery-1",
        repository: { id: payload.repository.id, owner: payload.repository.owner.login, name: payload.repository.name },
        installationId: payload.installation?.id,
        pr: payload.issue.number,
        command: "stop",
        actor: { login: payload.comment.user.login, id: payload.comment.user.id },
        commentId: payload.comment.id,
      },
    ]);
    expect(await h.jobs()).toHaveLength(0);
  });

  it("recognise retry and explain too", async () => {
    for (const command of ["retry", "explain"] as const) {
      const res = await h.webhook("issue_comment", prComment(`/fixfleet ${command}`), { deliveryId: `cmd-${command}` });
      expect(res.status).toBe(202);
      expect((await controlJobs()).find((j) => j.deliveryId === `cmd-${command}`)).toMatchObject({ command });
    }
  });

  it("are ignored, with the reason, when quoted, unknown, edited, or on an issue", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [prComment("> /fixfleet stop\nno, keep going"), /no \/fixfleet command/],
      [prComment("/fixfleet deploy"), /no \/fixfleet command/],
      [prComment("please /fixfleet stop"), /no \/fixfleet command/],
      [prComment("/fixfleet stop", { action: "edited" }), /action "edited"/],
      [{ ...webhookExample("issue_comment", { action: "created" }) }, /not on a pull request/],
    ];
    for (const [payload, reason] of cases) {
      const res = await h.webhook("issue_comment", { ...payload, comment: { ...(payload.comment as object) } });
      expect(res.status).toBe(202);
      expect((await res.json()).ignored).toMatch(reason);
    }
    expect((await controlJobs()).filter((j) => j.type === "command" && j.command === "stop")).toHaveLength(1);
  });
});

describe("outcome events", () => {
  it("a push carrying a fixfleet commit is stored with the batch its trailer names", async () => {
    const batch = `octo-org/octo-repo@${"d".repeat(40)}#7`;
    const res = await h.webhook("push", fixPush(`fixfleet: fix test\n\nFixfleet-Batch: ${batch}\n`), {
      deliveryId: "push-1",
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, control: "push" });
    expect((await controlJobs()).find((j) => j.deliveryId === "push-1")).toMatchObject({
      type: "push",
      ref: "refs/heads/feature-x",
      after: SHA,
      batchIds: [batch],
      commitShas: [SHA],
    });
  });

  it("pushes without a fixfleet commit, or to fixfleet's own branches, are ignored", async () => {
    const plain = await h.webhook("push", fixPush("update readme"));
    expect((await plain.json()).ignored).toMatch(/no fixfleet commit/);
    const own = await h.webhook("push", fixPush("x\n\nFixfleet-Batch: a@b#1", "refs/heads/fixfleet/pr-3"));
    expect((await own.json()).ignored).toMatch(/fixfleet's own branch/);
  });

  it("a closed pull request is stored, merged or not; other pull_request actions are ignored", async () => {
    const closed = structuredClone(webhookExample("pull_request", { action: "closed" }));
    const res = await h.webhook("pull_request", closed, { deliveryId: "closed-1" });
    expect(res.status).toBe(202);
    expect((await controlJobs()).find((j) => j.deliveryId === "closed-1")).toMatchObject({
      type: "pull_request_closed",
      pr: closed.number,
      merged: closed.pull_request.merged === true,
      headRef: closed.pull_request.head.ref,
      headSha: closed.pull_request.head.sha,
    });
    const labeled = await h.webhook("pull_request", webhookExample("pull_request", { action: "labeled" }));
    expect(labeled.status).toBe(202);
    expect((await labeled.json()).ignored).toMatch(/action "labeled"/);
  });

  it("every real example of these events is taken as it is, and none makes a fix job", async () => {
    for (const event of ["issue_comment", "push", "pull_request"]) {
      for (const payload of webhookExamples(event)) {
        const res = await h.webhook(event, payload);
        expect([200, 202], `${event} ${payload.action ?? ""} ${await res.clone().text()}`).toContain(res.status);
      }
    }
    expect(await h.jobs()).toHaveLength(0);
  });
});
