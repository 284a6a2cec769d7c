import { StringDecoder } from "node:string_decoder";

/**
 * Splits a byte or text stream into lines without ever holding more than one line (and at most
 * `maxLineBytes` of it): a log with a 300 MB line must not take 300 MB of memory.
 */
export async function* splitLines(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  maxLineChars = 64 * 1024,
): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let skipping = false;
  for await (const chunk of source) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (skipping) {
        skipping = false;
        pending = "";
        continue;
      }
      const line = pending.length > 0 ? pending + piece : piece;
      pending = "";
      yield line.endsWith("\r") ? line.slice(0, -1) : line;
    }
    if (skipping) continue;
    pending += text.slice(start);
    if (pending.length > maxLineChars) {
      // Yield what fits and drop the rest of this line.
      yield pending.slice(0, maxLineChars);
      pending = "";
      skipping = true;
    }
  }
  const rest = pending + decoder.end();
  if (!skipping && rest.length > 0) yield rest;
}
