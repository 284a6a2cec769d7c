/**
 * Keeps the first and last bytes of a stream within a fixed budget while it flows, so a flood
 * never fills memory. What falls between is counted, and the result says how much was left out.
 */
export class OutputBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private total = 0;

  constructor(maxBytes: number) {
    const budget = Math.max(0, Math.floor(maxBytes));
    this.headLimit = Math.floor(budget / 2);
    this.tailLimit = budget - this.headLimit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headSize < this.headLimit) {
      const take = Math.min(this.headLimit - this.headSize, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headSize += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    if (rest.length >= this.tailLimit) {
      this.tail = [Buffer.from(rest.subarray(rest.length - this.tailLimit))];
      this.tailSize = this.tailLimit;
      return;
    }
    this.tail.push(Buffer.from(rest));
    this.tailSize += rest.length;
    // Drop whole chunks, then trim the first, until the tail fits again.
    while (this.tailSize > this.tailLimit) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailSize - this.tailLimit;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailSize -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailSize -= excess;
      }
    }
  }

  /** Bytes seen in all. */
  get totalBytes(): number {
    return this.total;
  }

  get omittedBytes(): number {
    return this.total - this.headSize - this.tailSize;
  }

  /** The kept bytes; where something was cut, a marker line between head and tail says how much. */
  result(): { bytes: Buffer; truncated: boolean; omittedBytes: number } {
    const omitted = this.omittedBytes;
    if (omitted === 0) return { bytes: Buffer.concat([...this.head, ...this.tail]), truncated: false, omittedBytes: 0 };
    const marker = Buffer.from(`\n[… fixfleet: ${omitted} bytes of output omitted …]\n`);
    return { bytes: Buffer.concat([...this.head, marker, ...this.tail]), truncated: true, omittedBytes: omitted };
  }
}
