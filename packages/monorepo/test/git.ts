import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and returns its exit code and output instead of throwing on failure. */
export async function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await exec(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

export async function git(args: string[], cwd: string): Promise<string> {
  const result = await run("git", args, cwd, { GIT_CONFIG_NOSYSTEM: "1" });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

/** Commits the work tree at `dir` and makes a bare repository of it that serves partial clones. */
export async function bareRepositoryOf(dir: string): Promise<{ url: string; remove(): Promise<void> }> {
  await git(["init", "-q", "-b", "main"], dir);
  await git(["add", "-A"], dir);
  await git(
    ["-c", "user.name=fixfleet", "-c", "user.email=fixfleet@example.com", "commit", "-q", "-m", "fixture"],
    dir,
  );
  const parent = await mkdtemp(path.join(tmpdir(), "fixfleet-bare-"));
  const bare = path.join(parent, "repo.git");
  await git(["clone", "-q", "--bare", dir, bare], parent);
  await git(["config", "uploadpack.allowFilter", "true"], bare);
  await git(["config", "uploadpack.allowAnySHA1InWant", "true"], bare);
  return { url: `file://${bare}`, remove: () => rm(parent, { recursive: true, force: true }) };
}

/** `git clone --filter=blob:none --sparse`, then the cone-mode directories, then checkout. */
export async function sparseClone(url: string, dest: string, dirs: readonly string[]): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  await git(["clone", "-q", "--filter=blob:none", "--no-checkout", "--sparse", url, dest], path.dirname(dest));
  await git(["sparse-checkout", "set", "--cone", ...dirs], dest);
  await git(["checkout", "-q", "main"], dest);
}
