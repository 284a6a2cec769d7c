/**
 * Splits the Engine API's multiplexed exec stream (8-byte header: stream type, 3 zero bytes,
 * big-endian length) into stdout and stderr, across chunk boundaries.
 */
export class DockerDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: "stdout" | "stderr", payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0];
      const payload = buf.subarray(8, 8 + size);
      // 0 is stdin echoed back (never with our settings); anything but 2 is treated as stdout.
      this.onFrame(type === 2 ? "stderr" : "stdout", payload);
      buf = buf.subarray(8 + size);
    }
    this.pending = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }

  /** Bytes of an unfinished frame when the stream ended (a cut connection). */
  get leftover(): number {
    return this.pending.length;
  }
}
