import { describe, expect, it } from "vitest";
import { DockerDemuxer } from "./demux.js";
import { splitTrailer } from "./exec-script.js";

describe("the exec wrapper's report", () => {
  it("is split off the end of stderr", () => {
    const m = "__fixfleet_exec_abc__";
    const { before, trailer } = splitTrailer(Buffer.from(`warning: x\n\n${m} 137 1 0\n`), m);
    expect(before.toString()).toBe("warning: x\n");
    expect(trailer).toEqual({ exitCode: 137, oomKills: 1, pidsRefusals: 0 });
  });

  it("is not found in text that only looks like it", () => {
    const { before, trailer } = splitTrailer(Buffer.from("\n__fixfleet_exec_other__ 0 0 0\n"), "__fixfleet_exec_abc__");
    expect(trailer).toBeUndefined();
    expect(before.toString()).toBe("\n__fixfleet_exec_other__ 0 0 0\n");
  });
});

describe("DockerDemuxer", () => {
  it("reassembles frames split across chunks", () => {
    const frame = (type: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = type;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const all = Buffer.concat([frame(1, "out-1"), frame(2, "err-1"), frame(1, "out-2")]);
    const got: string[] = [];
    const d = new DockerDemuxer((s, p) => got.push(`${s}:${p}`));
    for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3));
    expect(got).toEqual(["stdout:out-1", "stderr:err-1", "stdout:out-2"]);
    expect(d.leftover).toBe(0);
  });
});
