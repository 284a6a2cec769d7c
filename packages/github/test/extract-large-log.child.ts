// Runs in its own process with a capped heap (see large-log.test.ts): extracts a synthetic log
// and reports the heap retained after forced collections, which is what a leak would grow.
import { extractLog } from "../src/logs/index.js";
import { syntheticJobLog } from "./large-log.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const sizeMb = Number(process.argv[2] ?? "200");
gc();
const base = process.memoryUsage().heapUsed;
let peakRetained = 0;
let chunks = 0;
async function* sampled() {
  for (const chunk of syntheticJobLog(sizeMb * 1024 * 1024)) {
    if (++chunks % 16 === 0) {
      gc!();
      peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - base);
    }
    yield chunk;
  }
}
const started = performance.now();
const { text, excerpt } = await extractLog(sampled());
process.stdout.write(
  JSON.stringify({ peakRetained, bytes: excerpt.stats.bytes, ms: performance.now() - started, text }),
);
