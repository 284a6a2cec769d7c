import type Docker from "dockerode";
import { pack } from "tar-stream";

export interface ContextEntry {
  /** Path inside the build context. */
  name: string;
  type?: "file" | "symlink" | "directory";
  content?: Buffer | string;
  /** Symlink target. */
  linkname?: string;
  mode?: number;
}

/** A build context as a tar stream, from entries made in memory. */
export function contextTar(entries: readonly ContextEntry[]): NodeJS.ReadableStream {
  const tar = pack();
  for (const entry of entries) {
    const type = entry.type ?? "file";
    if (type === "symlink") {
      tar.entry({ name: entry.name, type: "symlink", linkname: entry.linkname ?? "" });
    } else if (type === "directory") {
      tar.entry({ name: entry.name, type: "directory", mode: entry.mode ?? 0o755 });
    } else {
      tar.entry({ name: entry.name, mode: entry.mode ?? 0o644 }, entry.content ?? "");
    }
  }
  tar.finalize();
  return tar as unknown as NodeJS.ReadableStream;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Builds an image from a context without any registry. The engine reports build failures as
 * entries of the progress stream, not as errors, so each entry is checked.
 */
export async function buildImage(
  docker: Docker,
  tag: string,
  context: NodeJS.ReadableStream,
  options: { labels?: Record<string, string> } = {},
): Promise<void> {
  const stream = await docker.buildImage(context, {
    t: tag,
    rm: true,
    forcerm: true,
    ...(options.labels ? { labels: options.labels } : {}),
  });
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: BuildEvent[]) =>
      err ? reject(err) : resolve(output),
    );
  });
  const failed = events.find((e) => e.error || e.errorDetail);
  if (failed) {
    const log = events.map((e) => e.stream ?? "").join("");
    throw new Error(`building ${tag} failed: ${failed.errorDetail?.message ?? failed.error}\n${log}`);
  }
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}
