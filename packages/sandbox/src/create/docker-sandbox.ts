import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import type { Readable } from "node:stream";
import { PermanentError } from "@fixfleet/shared";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import { BASELINE_SCRIPT, DIFF_SCRIPT } from "../diff/diff-script.js";
import { type DiffFile, parseRawNumstat } from "../diff/parse-diff.js";
import { callDocker } from "../docker/call-docker.js";
import { isNotFound } from "../errors/to-sandbox-error.js";
import { type ExecOptions, type ExecResult, runExec } from "../exec/run-exec.js";
import { extractByExec } from "../files/extract-by-exec.js";
import { packDirectory } from "../files/pack-directory.js";
import { readGitHead } from "../files/read-git-head.js";
import { readFirstTarEntry } from "../files/read-tar-entry.js";

export interface SandboxDiff {
  /** The patch as text (`git diff --binary`: binary files as base85, so this is ASCII-safe). */
  patch: string;
  /** The exact bytes of the patch (text files in other encodings stay intact). */
  patchBytes: Buffer;
  files: DiffFile[];
}

export interface CopyInOptions {
  /** Where the tree lands (default: the workdir). Must be inside the workdir. */
  dest?: string;
  exclude?: (relativePath: string) => boolean;
  /** Record the diff baseline after copying (default: when dest is the workdir). */
  baseline?: boolean;
  timeoutMs?: number;
  /**
   * How the tree gets in: "exec" streams it into the image's `tar` through an exec's stdin
   * (faster on a disk workspace), "archive" uploads it to the engine's archive endpoint. Default
   * "exec", falling back to "archive" (for this and later copies) when the image's tar fails.
   */
  via?: "exec" | "archive";
}

export interface SandboxInfo {
  docker: Docker;
  id: string;
  name: string;
  volumeName: string;
  jobId: string;
  workerId: string;
  image: string;
  user: string;
  workdir: string;
  expiresAt: number;
  callTimeoutMs: number;
}

const MAX_PATCH_BYTES = 64 * 1024 * 1024;

/**
 * One fix's container. Every method goes through the Engine API (exec, archive) and is bounded
 * in time; see the package README for the contract.
 */
export class DockerSandbox {
  readonly id: string;
  readonly name: string;
  readonly volumeName: string;
  readonly workerId: string;
  private job: string;
  readonly image: string;
  readonly workdir: string;
  readonly expiresAt: number;
  private readonly docker: Docker;
  private readonly container: Docker.Container;
  private readonly user: string;
  private readonly uid: number;
  private readonly gid: number;
  private readonly callTimeoutMs: number;
  private baseCommit: string | undefined;
  private destroyed = false;
  /** Cleared once the image's tar failed to extract a copy: later copies use the archive endpoint. */
  private tarWorks = true;

  constructor(info: SandboxInfo) {
    this.docker = info.docker;
    this.id = info.id;
    this.name = info.name;
    this.volumeName = info.volumeName;
    this.job = info.jobId;
    this.workerId = info.workerId;
    this.image = info.image;
    this.user = info.user;
    this.workdir = info.workdir;
    this.expiresAt = info.expiresAt;
    this.callTimeoutMs = info.callTimeoutMs;
    this.container = info.docker.getContainer(info.id);
    const [uid = "0", gid = uid] = info.user.split(":");
    this.uid = Number(uid);
    this.gid = Number(gid);
  }

  /** The job this sandbox serves (a warm-pool sandbox gets its job when handed out). */
  get jobId(): string {
    return this.job;
  }

  /** @internal Used by WarmPool: a pooled sandbox is handed to exactly one job. */
  assignJob(jobId: string): void {
    this.job = jobId;
  }

  /** The commit `diff()` compares against, once recorded. */
  get baseline(): string | undefined {
    return this.baseCommit;
  }

  private resolve(path: string): string {
    return posix.resolve(this.workdir, path);
  }

  private insideWorkdir(abs: string): string | undefined {
    const rel = posix.relative(this.workdir, abs);
    if (rel.startsWith("..") || posix.isAbsolute(rel)) return undefined;
    return rel;
  }

  private assertAlive(): void {
    if (this.destroyed) throw new PermanentError(`sandbox ${this.name} was destroyed`, { code: "sandbox_destroyed" });
  }

  async exec(command: string | readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.assertAlive();
    return runExec(
      {
        container: this.container,
        user: this.user,
        workdir: this.workdir,
        callTimeoutMs: this.callTimeoutMs,
        restartContainer: () =>
          callDocker("restart the sandbox after a command could not be stopped", this.callTimeoutMs, (abortSignal) =>
            this.container.restart({ t: 0, abortSignal }),
          ),
      },
      command,
      options,
    );
  }

  /**
   * Copies a host directory in with one archive upload: modes, symlinks and executable bits kept,
   * every entry owned by the sandbox user.
   */
  async copyIn(
    hostDir: string,
    options: CopyInOptions = {},
  ): Promise<{ files: number; bytes: number; via: "exec" | "archive" }> {
    this.assertAlive();
    const dest = this.resolve(options.dest ?? this.workdir);
    const rel = this.insideWorkdir(dest);
    if (rel === undefined) {
      throw new PermanentError(
        `copyIn: ${dest} is outside the workspace ${this.workdir} (the root filesystem is read-only)`,
        {
          code: "outside_workspace",
        },
      );
    }
    const pack = () => packDirectory(hostDir, { uid: this.uid, gid: this.gid, prefix: rel, exclude: options.exclude });
    const timeoutMs = options.timeoutMs ?? Math.max(this.callTimeoutMs, 120_000);
    let tree = pack();
    let copied = false;
    if ((options.via ?? "exec") === "exec" && this.tarWorks) {
      const result = await extractByExec({
        container: this.container,
        user: this.user,
        dest: this.workdir,
        tar: tree.stream,
        timeoutMs,
        callTimeoutMs: this.callTimeoutMs,
      });
      copied = result.ok;
      if (!result.ok) {
        // No tar in the image, or one that reads archives differently: the engine unpacks instead.
        this.tarWorks = false;
        (tree.stream as Readable).destroy();
        tree = pack();
      }
    }
    if (!copied) {
      await callDocker(`copy ${hostDir} into the sandbox`, timeoutMs, (abortSignal) =>
        this.container.putArchive(tree.stream, { path: this.workdir, abortSignal }),
      );
    }
    const stats = await tree.done;
    if (options.baseline ?? rel === "") {
      // A clone's HEAD is known from its files: no exec needed for the usual case.
      const head = stats.hasGit && rel === "" ? await readGitHead(hostDir) : undefined;
      if (head) this.baseCommit = head;
      else await this.recordBaseline();
    }
    return { files: stats.files, bytes: stats.bytes, via: copied ? "exec" : "archive" };
  }

  /** Records the commit `diff()` compares against (a tree without `.git` gets a baseline commit). */
  async recordBaseline(): Promise<string> {
    const r = await this.exec(BASELINE_SCRIPT, { timeoutMs: 300_000, maxOutputBytes: 64 * 1024 });
    const sha = r.stdout.trim();
    if (r.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) {
      throw new PermanentError(`could not record the diff baseline: ${r.stderr.trim() || `git exited ${r.exitCode}`}`, {
        code: "baseline_failed",
      });
    }
    this.baseCommit = sha;
    return sha;
  }

  /** A file's bytes (symlinks followed). Throws a PermanentError when missing or over maxBytes. */
  async readFile(path: string, options: { maxBytes?: number; timeoutMs?: number } = {}): Promise<Buffer> {
    this.assertAlive();
    const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    let target = this.resolve(path);
    for (let hops = 0; hops < 16; hops++) {
      const stream = await callDocker(`read ${target}`, options.timeoutMs ?? this.callTimeoutMs, (abortSignal) =>
        this.container.getArchive({ path: target, abortSignal }),
      ).catch((error) => {
        if (isNotFound(error))
          throw new PermanentError(`no such file in the sandbox: ${target}`, { code: "file_not_found", cause: error });
        throw error;
      });
      const entry = await readFirstTarEntry(stream, maxBytes);
      if (!entry) throw new PermanentError(`no such file in the sandbox: ${target}`, { code: "file_not_found" });
      if (entry.type === "symlink" && entry.linkname !== undefined) {
        target = posix.resolve(posix.dirname(target), entry.linkname);
        continue;
      }
      if (entry.type === "directory") throw new PermanentError(`${target} is a directory`, { code: "is_directory" });
      if (entry.type !== "file")
        throw new PermanentError(`${target} is not a regular file (${entry.type})`, { code: "not_a_file" });
      if (entry.size > maxBytes || !entry.content) {
        throw new PermanentError(`${target} is ${entry.size} bytes, over the limit of ${maxBytes}`, {
          code: "file_too_large",
        });
      }
      return entry.content;
    }
    throw new PermanentError(`${path}: too many levels of symbolic links`, { code: "symlink_loop" });
  }

  /** Writes a file (parents created), owned by the sandbox user. */
  async writeFile(
    path: string,
    content: string | Buffer,
    options: { mode?: number; timeoutMs?: number } = {},
  ): Promise<void> {
    this.assertAlive();
    const target = this.resolve(path);
    const data = Buffer.from(content);
    const mode = (options.mode ?? 0o644) & 0o1777;
    const timeoutMs = options.timeoutMs ?? Math.max(this.callTimeoutMs, 60_000);
    if (this.insideWorkdir(target) === undefined || target === this.workdir) {
      // Outside the volume the engine refuses archive uploads (read-only root): go through a shell.
      const r = await this.exec(
        [
          "/bin/sh",
          "-c",
          'mkdir -p -- "$(dirname -- "$1")" && cat > "$1" && chmod "$2" "$1"',
          "write",
          target,
          mode.toString(8),
        ],
        {
          stdin: data,
          timeoutMs,
        },
      );
      if (r.exitCode !== 0)
        throw new PermanentError(`could not write ${target}: ${r.stderr.trim()}`, { code: "write_failed" });
      return;
    }
    const dir = posix.dirname(target);
    const upload = () => {
      const tar = pack();
      tar.entry({ name: posix.basename(target), mode, uid: this.uid, gid: this.gid, size: data.length }, data);
      tar.finalize();
      return callDocker(`write ${target}`, timeoutMs, (abortSignal) =>
        this.container.putArchive(tar as unknown as NodeJS.ReadableStream, { path: dir, abortSignal }),
      );
    };
    try {
      await upload();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const r = await this.exec(["mkdir", "-p", "--", dir], { timeoutMs });
      if (r.exitCode !== 0)
        throw new PermanentError(`could not create ${dir}: ${r.stderr.trim()}`, { code: "write_failed" });
      await upload();
    }
  }

  /** The working tree against the baseline commit: patch and per-file summary. */
  async diff(options: { timeoutMs?: number; maxPatchBytes?: number } = {}): Promise<SandboxDiff> {
    this.assertAlive();
    const base = this.baseCommit ?? (await this.recordBaseline());
    const separator = `fixfleet-diff-${randomBytes(6).toString("hex")}`;
    const maxBytes = options.maxPatchBytes ?? MAX_PATCH_BYTES;
    const r = await this.exec(["/bin/sh", "-c", DIFF_SCRIPT, "diff", base, separator], {
      timeoutMs: options.timeoutMs ?? 300_000,
      maxOutputBytes: maxBytes * 2,
    });
    if (r.exitCode !== 0) throw new PermanentError(`git diff failed: ${r.stderr.trim()}`, { code: "diff_failed" });
    if (r.truncated) throw new PermanentError(`the diff is larger than ${maxBytes} bytes`, { code: "diff_too_large" });
    const out = r.stdoutBytes;
    const sep = Buffer.from(`\0${separator}\0`);
    const at = out.indexOf(sep);
    if (at < 0) throw new PermanentError("git diff output was not understood", { code: "diff_failed" });
    const patchBytes = out.subarray(at + sep.length);
    return {
      files: parseRawNumstat(out.subarray(0, at).toString("utf8")),
      patch: patchBytes.toString("utf8"),
      patchBytes: Buffer.from(patchBytes),
    };
  }

  /** Removes the container and its volume. Safe to call twice; "already gone" is success. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await destroyByName(this.docker, this.name, this.volumeName, this.callTimeoutMs);
  }
}

/** Removes a sandbox's container and volume by name (also what a half-made create cleans up). */
export async function destroyByName(
  docker: Docker,
  containerName: string,
  volumeName: string,
  timeoutMs: number,
): Promise<void> {
  await callDocker(`remove sandbox container ${containerName}`, timeoutMs, (abortSignal) =>
    docker.getContainer(containerName).remove({ force: true, v: true, abortSignal }),
  ).catch(async (error) => {
    if (isNotFound(error)) return;
    // A reaper got there first: wait for its removal to finish rather than fail.
    if (!/already in progress/i.test((error as Error).message)) throw error;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const gone = await callDocker(`inspect sandbox container ${containerName}`, timeoutMs, (abortSignal) =>
        docker.getContainer(containerName).inspect({ abortSignal }),
      ).then(
        () => false,
        (e) => isNotFound(e),
      );
      if (gone) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw error;
  });
  // A volume can stay "in use" for a moment after its container went away.
  for (let attempt = 0; ; attempt++) {
    try {
      await callDocker(`remove sandbox volume ${volumeName}`, timeoutMs, (abortSignal) =>
        docker.getVolume(volumeName).remove({ abortSignal }),
      );
      return;
    } catch (error) {
      if (isNotFound(error)) return;
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
}
