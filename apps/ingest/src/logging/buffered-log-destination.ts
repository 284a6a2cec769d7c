import { type DestinationStream, pino } from "pino";

export interface BufferedLogDestinationOptions {
  /** A file descriptor or path; stdout by default. */
  dest?: number | string;
  /** Bytes gathered before a write (default 4 KiB). */
  minLength?: number;
  /** The longest a line waits in memory (default 250 ms). */
  flushMs?: number;
}

/**
 * Where the ingest process writes its JSON lines: pino's asynchronous SonicBoom, gathering
 * lines into writes of at least 4 KiB, flushed at least every 250 ms and synchronously when
 * the process exits (pino registers that). Under load the request lines alone cost one write
 * syscall each otherwise, about a tenth of the CPU of a webhook; a quiet process gets its lines
 * out within the flush interval. A crash that kills the process outright (SIGKILL, OOM) loses
 * at most the lines of the last interval.
 */
export function bufferedLogDestination(options: BufferedLogDestinationOptions = {}): DestinationStream {
  return pino.destination({
    dest: options.dest ?? 1,
    sync: false,
    minLength: options.minLength ?? 4_096,
    periodicFlush: options.flushMs ?? 250,
  });
}
