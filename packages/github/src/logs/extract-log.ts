import type { LogExcerpt } from "./log-excerpt.js";
import { LogExtractor, type LogExtractorOptions } from "./log-extractor.js";
import { type RenderOptions, renderExcerpt } from "./render-excerpt.js";
import { splitLines } from "./split-lines.js";

export interface ExtractLogOptions extends LogExtractorOptions, RenderOptions {}

export interface ExtractedLog {
  excerpt: LogExcerpt;
  /** Exactly what the model is shown. */
  text: string;
}

/** Streams a raw job log through the extractor and renders what the model will see. */
export async function extractLog(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ExtractLogOptions = {},
): Promise<ExtractedLog> {
  const extractor = new LogExtractor(options);
  for await (const line of splitLines(source)) extractor.push(line);
  const excerpt = extractor.finish();
  return { excerpt, text: renderExcerpt(excerpt, options) };
}
