import { execFileSync } from "node:child_process";
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pack } from "tar-stream";

/** What a locally assembled base image takes from this machine. */
export const HOST_ROOTFS_PATHS = [
  // A POSIX shell (dash as /bin/sh, like Debian) and bash for scripts that ask for it.
  "/usr/bin/sh",
  "/usr/bin/dash",
  "/usr/bin/bash",
  // Node with npm and corepack.
  "/usr/bin/node",
  "/usr/bin/npm",
  "/usr/bin/npx",
  "/usr/bin/corepack",
  "/usr/lib/node_modules",
  // git and its helpers/templates.
  "/usr/bin/git",
  "/usr/lib/git-core",
  "/usr/share/git-core",
  // The usual command-line tools a repository's scripts expect.
  "/usr/bin/make",
  "/usr/bin/grep",
  "/usr/bin/sed",
  "/usr/bin/find",
  "/usr/bin/xargs",
  "/usr/bin/tar",
  "/usr/bin/gzip",
  "/usr/bin/diff",
  "/usr/bin/cmp",
  "/usr/bin/patch",
  "/usr/bin/ps",
  "/usr/bin/pkill",
  "/usr/bin/setsid",
  "/usr/bin/which",
];

/** Every binary of Debian's coreutils (timeout, env, id, sleep, …), whatever this machine names them. */
function coreutils(): string[] {
  try {
    const out = execFileSync("dpkg", ["-L", "coreutils"], { encoding: "utf8" });
    return out.split("\n").filter((p) => /^\/(usr\/)?bin\/[^/]+$/.test(p));
  } catch {
    const names =
      "basename cat chmod chown cp cut date dd dirname du echo env expr false head id ln ls mkdir mktemp mv nproc od printf pwd readlink realpath rm rmdir sleep sort stat tail tee test timeout touch tr true uname uniq wc yes";
    return names.split(" ").map((n) => `/usr/bin/${n}`);
  }
}

type Entry =
  | { kind: "file"; path: string; mode: number; ino: string }
  | { kind: "dir"; path: string; mode: number }
  | { kind: "symlink"; path: string; target: string };

function isElf(path: string): boolean {
  try {
    const fd = openSync(path, "r");
    try {
      const head = Buffer.alloc(4);
      return readSync(fd, head, 0, 4, 0) === 4 && head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF";
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Gathers the closure of `paths`: the files themselves, directories walked, symlinks with
 * their targets, the parents of everything, and the shared libraries ldd names for every ELF.
 */
export function collectRootfs(paths: readonly string[] = [...HOST_ROOTFS_PATHS, ...coreutils()]): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const elves: string[] = [];
  const addParents = (path: string) => {
    for (let dir = dirname(path); dir !== "/" && !entries.has(dir); dir = dirname(dir)) {
      entries.set(dir, { kind: "dir", path: dir, mode: 0o755 });
    }
  };
  const visited = new Set<string>(); // parents are entries too, but still to be walked when asked for
  const add = (path: string): void => {
    if (visited.has(path)) return;
    visited.add(path);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(path);
    } catch {
      return; // not on this machine: the image simply lacks it
    }
    addParents(path);
    if (st.isSymbolicLink()) {
      const target = readlinkSync(path);
      entries.set(path, { kind: "symlink", path, target });
      add(isAbsolute(target) ? target : resolve(dirname(path), target));
    } else if (st.isDirectory()) {
      entries.set(path, { kind: "dir", path, mode: st.mode & 0o7777 });
      for (const name of readdirSync(path)) add(join(path, name));
    } else if (st.isFile()) {
      entries.set(path, { kind: "file", path, mode: st.mode & 0o7777, ino: `${st.dev}:${st.ino}` });
      if (st.mode & 0o111 || path.includes(".so")) elves.push(path);
    }
  };
  for (const path of paths) add(path);
  // /lib64/ld-linux… and the merged-/usr links the loader paths go through.
  const libs = new Set<string>();
  const binaries = elves.filter(isElf);
  for (let i = 0; i < binaries.length; i += 200) {
    let out = "";
    try {
      out = execFileSync("ldd", binaries.slice(i, i + 200), { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch (error) {
      out = String((error as { stdout?: string }).stdout ?? "");
    }
    for (const match of out.matchAll(/(?:=>\s*)?(\/[^\s]+)\s+\(0x/g)) libs.add(match[1] as string);
  }
  for (const lib of libs) add(lib);
  return entries;
}

/**
 * A Docker build context: `FROM scratch` plus the collected files under rootfs/, an
 * /etc/passwd with root and nobody, and the merged-/usr symlinks Debian has. `paths` chooses
 * what to take (default: the sandbox base's set); other stand-ins (redis, dind) pass their own.
 */
export function hostRootfsContext(dockerfile: string, paths?: readonly string[]): NodeJS.ReadableStream {
  const entries = collectRootfs(paths);
  const tar = pack();
  const seenInodes = new Map<string, string>();
  const emitted = new Set<string>();
  const sorted = [...entries.values()].sort((a, b) => a.path.localeCompare(b.path));
  void (async () => {
    const put = (header: Parameters<typeof tar.entry>[0], body?: Buffer | string) =>
      new Promise<void>((res, rej) => tar.entry(header, body ?? "", (err) => (err ? rej(err) : res())));
    try {
      await put({ name: "Dockerfile" }, dockerfile);
      for (const [link, target] of [
        ["bin", "usr/bin"],
        ["sbin", "usr/sbin"],
        ["lib", "usr/lib"],
        ["lib64", "usr/lib64"],
      ] as const) {
        await put({ name: `rootfs/${link}`, type: "symlink", linkname: target });
      }
      for (const dir of ["rootfs/usr", "rootfs/usr/sbin", "rootfs/usr/lib64", "rootfs/etc", "rootfs/root"]) {
        await put({ name: dir, type: "directory", mode: 0o755 });
      }
      await put({ name: "rootfs/tmp", type: "directory", mode: 0o1777 });
      await put(
        { name: "rootfs/etc/passwd", mode: 0o644 },
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
      );
      await put({ name: "rootfs/etc/group", mode: 0o644 }, "root:x:0:\nnogroup:x:65534:\n");
      for (const entry of sorted) {
        // The top-level merged-/usr names are the symlinks made above.
        const rel = entry.path.replace(/^\/(bin|sbin|lib|lib64)(?=\/|$)/, "/usr/$1");
        const name = `rootfs${rel}`;
        if (emitted.has(name)) continue; // reached both as /lib/… and /usr/lib/…
        emitted.add(name);
        if (entry.kind === "dir") {
          if (["rootfs/usr", "rootfs/usr/sbin", "rootfs/usr/lib64", "rootfs/etc"].includes(name)) continue;
          await put({ name, type: "directory", mode: entry.mode });
        } else if (entry.kind === "symlink") {
          await put({ name, type: "symlink", linkname: entry.target });
        } else {
          const first = seenInodes.get(entry.ino);
          if (first) {
            await put({ name, type: "link", linkname: first });
            continue;
          }
          seenInodes.set(entry.ino, name);
          const size = statSync(entry.path).size;
          await put({ name, mode: entry.mode, size }, readFileSync(entry.path));
        }
      }
      tar.finalize();
    } catch (error) {
      tar.destroy(error as Error);
    }
  })();
  return tar as unknown as NodeJS.ReadableStream;
}
