/**
 * A synthetic job log of a given size, produced chunk by chunk so that making it costs no memory:
 * timestamped lines of build chatter with ANSI colours, a few real failure shapes spread through it.
 */
export function* syntheticJobLog(totalBytes: number, chunkBytes = 1024 * 1024): Generator<Buffer> {
  let produced = 0;
  let n = 0;
  const failures = [
    "src/api/handler.ts:41:7 - error TS2339: Property 'userId' does not exist on type 'Request'.",
    "--- FAIL: TestCheckout (0.02s)",
    "E       AssertionError: assert 401 == 200",
  ];
  let nextFailure = Math.floor(totalBytes / 4);
  let failureIndex = 0;
  while (produced < totalBytes) {
    const lines: string[] = [];
    let size = 0;
    while (size < chunkBytes) {
      n++;
      let text = `\u001b[32m✓\u001b[39m compiled module packages/pkg-${n % 2000}/src/file-${n % 97}.ts in ${n % 300}ms`;
      if (produced + size >= nextFailure && failureIndex < failures.length) {
        text = failures[failureIndex++]!;
        nextFailure += Math.floor(totalBytes / 4);
      }
      const line = `2026-11-29T09:14:02.${String(n % 10_000_000).padStart(7, "0")}Z ${text}\n`;
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    produced += size;
    yield Buffer.from(lines.join(""));
  }
  yield Buffer.from("2026-11-29T09:20:00.0000000Z ##[error]Process completed with exit code 1.\n");
}
