import {
  API_MONEY_PATH,
  API_MONEY_PR,
  BAD_PRICE,
  bash,
  dockerAvailable,
  editor,
  type Fleet,
  GOOD_PRICE,
  type RecordedRequest,
  report,
  type SeededRepo,
  seedTwoPackageRepo,
  text,
  useFleet,
  WEB_PRICE_PATH,
  waitFor,
} from "@fixfleet/testkit";
import { describe, expect, it } from "vitest";

const startTestFleet = useFleet();

type ToolResult = RecordedRequest["toolResults"][number];

/** The branch is one commit on the failing sha, and of all the repository it changes `price.js` of web only. */
async function expectOnlyWebChanged(f: Fleet, seed: SeededRepo, branch: string): Promise<void> {
  const commits = f.gh.calls.filter((c) => c.method === "POST" && c.route === "POST /repos/{owner}/{repo}/git/commits");
  expect(commits.map((c) => (c.body as { parents?: string[] }).parents)).toEqual([[seed.headSha]]);
  const before = await f.gh.listFiles(seed.fullName, seed.headSha);
  const after = await f.gh.listFiles(seed.fullName, branch);
  expect([...after].sort()).toEqual([...before].sort());
  const changed: string[] = [];
  for (const path of after) {
    const [was, is] = await Promise.all([
      f.gh.readFile(seed.fullName, seed.headSha, path),
      f.gh.readFile(seed.fullName, branch, path),
    ]);
    if (was !== is) changed.push(path);
  }
  expect(changed).toEqual([WEB_PRICE_PATH]);
  expect(await f.gh.readFile(seed.fullName, branch, WEB_PRICE_PATH)).toBe(GOOD_PRICE);
  expect(await f.gh.readFile(seed.fullName, seed.headSha, WEB_PRICE_PATH)).toBe(BAD_PRICE);
  // packages/api keeps exactly what the pull request made of it.
  expect(await f.gh.readFile(seed.fullName, branch, API_MONEY_PATH)).toBe(API_MONEY_PR);
}

/** One comment on the PR, which links the branch and names the web file, not the api one. */
async function expectOneComment(f: Fleet, seed: SeededRepo, branch: string): Promise<void> {
  const comments = await waitFor("the PR comment", () => {
    const c = f.gh.comments(seed.fullName, seed.pr);
    return c.length > 0 && c;
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(f.gh.comments(seed.fullName, seed.pr)).toHaveLength(1);
  expect(comments[0]?.body).toContain(branch);
  expect(comments[0]?.body).toContain(WEB_PRICE_PATH);
  // The comment shows which package the fix was limited to, and why.
  expect(comments[0]?.body).toContain("Scope of the fix");
  expect(comments[0]?.body).not.toContain(API_MONEY_PATH);
}

function lastUserText(req: RecordedRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return (last.content as { type?: string; text?: string }[])
    .filter((b) => b.type === "text")
    .map((b) => b.text ?? "")
    .join("\n");
}

const webReport = (seed: SeededRepo) =>
  report(seed, { job: "test (web)", command: "npm test -w packages/web", paths: ["packages/web"] });

async function waitForBranch(f: Fleet, seed: SeededRepo): Promise<string> {
  const branch = `fixfleet/pr-${seed.pr}`;
  await waitFor(`branch ${branch}`, async () => (await f.gh.branches(seed.fullName))[branch], {
    timeoutMs: 60_000,
    context: () => f.logs(),
  });
  return branch;
}

describe.skipIf(!dockerAvailable())("monorepo scope, end to end", { timeout: 120_000 }, () => {
  it("refuses the model's edit under packages/api when packages/web failed, and publishes a branch that touches only packages/web", async () => {
    const fleet = await startTestFleet();
    const seed = await seedTwoPackageRepo(fleet.gh);
    const seen: { apiEdit?: ToolResult; webEdit?: ToolResult; test?: ToolResult } = {};
    // The PR changed both packages; the model first goes for the wrong one.
    fleet.ai.script(
      [
        text("The pull request also changed money.js in api; let me put it back."),
        editor.strReplace(`/workspace/${API_MONEY_PATH}`, "dollars * CENTS_PER_DOLLAR", "dollars * 100"),
      ],
      (req) => {
        seen.apiEdit = req.toolResults[0];
        return [editor.strReplace(`/workspace/${WEB_PRICE_PATH}`, "cents / 10)", "cents / 100)")];
      },
      (req) => {
        seen.webEdit = req.toolResults[0];
        return [bash.command("cd /workspace && npm test -w packages/web")];
      },
      (req) => {
        seen.test = req.toolResults[0];
        return [text("Fixed: `price` divided cents by 10 instead of 100; `npm test -w packages/web` passes.")];
      },
    );
    await fleet.startWorker();

    expect((await fleet.dispatch(seed, webReport(seed))).status).toBe(202);

    const branch = await waitForBranch(fleet, seed);
    fleet.ai.assertScriptDone();

    // The edit under packages/api came back as a tool error naming the scope rule and the scope.
    expect(seen.apiEdit?.isError).toBe(true);
    expect(seen.apiEdit?.content).toContain(API_MONEY_PATH);
    expect(seen.apiEdit?.content).toContain('rule "fix-scope"');
    expect(seen.apiEdit?.content).toMatch(/outside (the|this) fix's scope/);
    expect(seen.apiEdit?.content).toContain("packages/web");
    // The edit in scope went through, and the package's own test passed in the sandbox.
    expect(seen.webEdit?.isError).not.toBe(true);
    expect(seen.test?.isError).not.toBe(true);
    expect(seen.test?.content).toMatch(/# fail 0/);

    await expectOnlyWebChanged(fleet, seed, branch);

    await expectOneComment(fleet, seed, branch);
  });

  it("keeps a change made through bash under packages/api out of the published branch: the final diff check sends it back, the model undoes it", async () => {
    const fleet = await startTestFleet();
    const seed = await seedTwoPackageRepo(fleet.gh);
    let feedback = "";
    let undo: ToolResult | undefined;
    // The editor's guard cannot see a shell command; the diff check after the model stops can.
    fleet.ai.script(
      [editor.strReplace(`/workspace/${WEB_PRICE_PATH}`, "cents / 10)", "cents / 100)")],
      [
        bash.command(
          `cd /workspace && sed -i 's/dollars \\* CENTS_PER_DOLLAR/dollars * 100/' ${API_MONEY_PATH} && npm test -w packages/web`,
        ),
      ],
      [text("Fixed `price`, and simplified `toCents` in api while there.")],
      (req) => {
        feedback = lastUserText(req);
        return [bash.command(`cd /workspace && git checkout -- ${API_MONEY_PATH} && git status --short`)];
      },
      (req) => {
        undo = req.toolResults[0];
        return [text("Fixed: `price` divided cents by 10 instead of 100; api is left as the pull request made it.")];
      },
    );
    await fleet.startWorker();
    expect((await fleet.dispatch(seed, webReport(seed))).status).toBe(202);

    const branch = await waitForBranch(fleet, seed);
    fleet.ai.assertScriptDone();

    expect(feedback).toContain("not accepted");
    expect(feedback).toContain(API_MONEY_PATH);
    expect(feedback).toMatch(/outside (the|this) fix's scope/);
    expect(undo?.isError).not.toBe(true);
    expect(undo?.content).not.toContain("packages/api");
    expect(fleet.ai.messageRequests()).toHaveLength(5);

    await expectOnlyWebChanged(fleet, seed, branch);
    await expectOneComment(fleet, seed, branch);
  });
});
