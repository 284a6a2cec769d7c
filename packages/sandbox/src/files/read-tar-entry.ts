import { extract } from "tar-stream";

export interface TarEntry {
  type: string;
  linkname?: string;
  size: number;
  mode: number;
  /** Present for regular files within the size limit. */
  content?: Buffer;
}

/**
 * Reads the first entry of a tar stream (what the engine's archive endpoint returns for one
 * path). Content is read only up to `maxBytes`; a larger file is reported by size, unread.
 */
export async function readFirstTarEntry(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
): Promise<TarEntry | undefined> {
  const ex = extract();
  let first: TarEntry | undefined;
  const done = new Promise<void>((resolve, reject) => {
    ex.on("entry", (header, body, next) => {
      if (first) {
        body.resume();
        body.on("end", next);
        return;
      }
      const entry: TarEntry = {
        type: header.type ?? "file",
        linkname: header.linkname ?? undefined,
        size: header.size ?? 0,
        mode: header.mode ?? 0,
      };
      first = entry;
      if (entry.type !== "file" || entry.size > maxBytes) {
        // Nothing more is needed: stop reading instead of draining a large file.
        body.resume();
        resolve();
        return;
      }
      const chunks: Buffer[] = [];
      body.on("data", (c: unknown) => chunks.push(c as Buffer));
      body.on("end", () => {
        entry.content = Buffer.concat(chunks);
        resolve();
        next();
      });
      body.on("error", reject);
    });
    ex.on("finish", resolve);
    ex.on("error", reject);
  });
  (stream as NodeJS.ReadableStream & { on: (e: string, f: (e: Error) => void) => void }).on("error", (e) =>
    ex.destroy(e),
  );
  stream.pipe(ex);
  await done;
  (stream as unknown as { destroy?: () => void }).destroy?.();
  return first;
}
