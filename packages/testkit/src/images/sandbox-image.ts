import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type Docker from "dockerode";
import { buildImage, contextTar } from "./build-image.js";
import { hostRootfsContext } from "./host-rootfs.js";

export const SANDBOX_IMAGE = "fixfleet-sandbox:latest";
/** The Dockerfile's default base; the locally assembled stand-in takes this name. */
export const SANDBOX_BASE_IMAGE = "node:20-bookworm-slim";
const RECIPE_LABEL = "fixfleet.recipe";
/** Bump when the stand-in's recipe (host-rootfs.ts) changes. */
const STAND_IN_VERSION = "2";

const here = dirname(fileURLToPath(import.meta.url));
/** src/images or dist/images → the repository root. */
export const SANDBOX_DOCKERFILE = resolve(here, "../../../../infra/sandbox/Dockerfile");

async function recipeLabel(docker: Docker, tag: string): Promise<string | undefined | null> {
  try {
    const info = await docker.getImage(tag).inspect();
    return info.Config?.Labels?.[RECIPE_LABEL] ?? null; // null: exists, not made by us
  } catch {
    return undefined;
  }
}

function standInRecipe(): string {
  const parts = [STAND_IN_VERSION];
  for (const bin of ["/usr/bin/node", "/usr/bin/git", "/usr/bin/dash"]) {
    try {
      const st = statSync(bin);
      parts.push(`${bin}:${st.size}:${st.mtimeMs}`);
    } catch {
      parts.push(`${bin}:-`);
    }
  }
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 16);
}

/**
 * A stand-in for the registry's base image, made from this machine's own node, git, shell,
 * coreutils and their shared libraries (`FROM scratch`). A real image of that name (one not
 * carrying our label) is left alone.
 */
export async function ensureSandboxBaseImage(docker: Docker, tag = SANDBOX_BASE_IMAGE): Promise<string> {
  const wanted = standInRecipe();
  const current = await recipeLabel(docker, tag);
  if (current === null || current === wanted) return tag;
  const dockerfile = [
    "FROM scratch",
    "COPY rootfs/ /",
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    'CMD ["node"]',
    "",
  ].join("\n");
  await buildImage(docker, tag, hostRootfsContext(dockerfile), { labels: { [RECIPE_LABEL]: wanted } });
  return tag;
}

/** Serialises image builds across the test processes of one machine (vitest projects run at once). */
async function withBuildLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `fixfleet-image-${name.replace(/[^a-z0-9]+/gi, "_")}.lock`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(lock, "utf8"));
      } catch {}
      let alive = false;
      try {
        if (holder > 0) {
          process.kill(holder, 0);
          alive = true;
        }
      } catch {}
      if (!alive && existsSync(lock)) {
        try {
          unlinkSync(lock);
        } catch {}
        continue;
      }
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock} (held by pid ${holder})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {}
  }
}

/**
 * The default sandbox image (`infra/sandbox/Dockerfile`), built here without any registry:
 * the base is the real node image when the engine has one, or the stand-in otherwise.
 * Idempotent and cached by tag: a rebuild happens only when the Dockerfile or the base changed.
 */
export async function ensureSandboxImage(docker: Docker, tag = SANDBOX_IMAGE): Promise<string> {
  const dockerfile = readFileSync(SANDBOX_DOCKERFILE, "utf8");
  const fast = await docker
    .getImage(SANDBOX_BASE_IMAGE)
    .inspect()
    .then((i) => i.Id)
    .catch(() => "");
  const wanted = (baseId: string) =>
    createHash("sha256").update(dockerfile).update(baseId).update(standInRecipe()).digest("hex").slice(0, 16);
  if (fast && (await recipeLabel(docker, tag)) === wanted(fast)) return tag;
  return withBuildLock(tag, async () => {
    await ensureSandboxBaseImage(docker);
    const baseId = (await docker.getImage(SANDBOX_BASE_IMAGE).inspect()).Id;
    if ((await recipeLabel(docker, tag)) === wanted(baseId)) return tag;
    await buildImage(docker, tag, contextTar([{ name: "Dockerfile", content: dockerfile }]), {
      labels: { [RECIPE_LABEL]: wanted(baseId) },
    });
    return tag;
  });
}
