import { closeSync, openSync, readSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";

export interface CoalescedReadOptions {
  /** Longest the event loop is held by one slice of reads (ms) before the rest wait for the next turn. */
  sliceMs?: number;
  /** Files of this size or more are read asynchronously, so one big file never holds the loop. */
  maxSyncBytes?: number;
}

const DEFAULT_SLICE_MS = 4;
const DEFAULT_MAX_SYNC_BYTES = 256 * 1024;

interface Pending {
  file: string;
  resolve(text: string | undefined): void;
  reject(error: unknown): void;
}

/**
 * Reads small local files for discovery, which asks for thousands of manifests at once. Every
 * `fs.promises.readFile` costs several thread-pool round trips (open, fstat, read, close), which
 * on 2,000 manifests is ~10× the reads themselves. Here the requests made in one turn of the
 * event loop are served together with synchronous reads (microseconds each from the page
 * cache), in slices of at most `sliceMs` so timers and sockets still run between slices.
 * Absent files, directories and non-directories on the path read as undefined.
 */
export function createCoalescedReads(
  options: CoalescedReadOptions = {},
): (file: string) => Promise<string | undefined> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const maxSyncBytes = options.maxSyncBytes ?? DEFAULT_MAX_SYNC_BYTES;
  // One buffer for every synchronous read: only one runs at a time, and decoding copies out of it.
  const buffer = Buffer.allocUnsafe(maxSyncBytes);
  let queue: Pending[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    const start = performance.now();
    let i = 0;
    for (; i < batch.length; i++) {
      serve(batch[i]!);
      if (performance.now() - start >= sliceMs) {
        i++;
        break;
      }
    }
    if (i < batch.length) {
      // The rest go first in the next slice, ahead of requests made meanwhile.
      queue = batch.slice(i).concat(queue);
    }
    if (queue.length > 0 && !scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const serve = (p: Pending) => {
    let fd: number | undefined;
    try {
      // open + read into a reused buffer until end of file, no fstat: the cheapest way to a small
      // file's bytes. A directory fails the read with EISDIR.
      fd = openSync(p.file, "r");
      let bytes = 0;
      for (;;) {
        const n = readSync(fd, buffer, bytes, buffer.length - bytes, bytes);
        if (n === 0) return p.resolve(buffer.toString("utf8", 0, bytes));
        bytes += n;
        if (bytes === buffer.length) break;
      }
      // It filled the buffer, so it may be longer: read it whole without holding the loop.
      readFile(p.file, "utf8").then(p.resolve, (error) => settleError(p, error));
    } catch (error) {
      settleError(p, error);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };

  return (file) =>
    new Promise<string | undefined>((resolve, reject) => {
      queue.push({ file, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // setImmediate, not a microtask: every request of this turn (a Promise.all over members) joins the batch.
        setImmediate(flush);
      }
    });
}

function settleError(p: Pending, error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") p.resolve(undefined);
  else p.reject(error);
}
