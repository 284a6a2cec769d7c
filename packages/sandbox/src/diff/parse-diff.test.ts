import { describe, expect, it } from "vitest";
import { parseRawNumstat } from "./parse-diff.js";

describe("parseRawNumstat", () => {
  it("reads statuses, modes, renames, binaries and line counts", () => {
    const z = [
      ":100644 100644 aaa bbb M",
      "src/a.ts",
      ":000000 100644 000 ccc A",
      "new file.txt",
      ":100644 000000 ddd 000 D",
      "old.txt",
      ":100644 100755 eee eee M",
      "run.sh",
      ":100644 100644 fff fff R100",
      "from/ü.ts",
      "to/ü.ts",
      ":100644 100644 111 222 M",
      "img.png",
      "2\t1\tsrc/a.ts",
      "1\t0\tnew file.txt",
      "0\t3\told.txt",
      "0\t0\trun.sh",
      "0\t0\t",
      "from/ü.ts",
      "to/ü.ts",
      "-\t-\timg.png",
      "",
    ].join("\0");
    expect(parseRawNumstat(z)).toEqual([
      {
        path: "src/a.ts",
        status: "modified",
        oldMode: "100644",
        newMode: "100644",
        binary: false,
        additions: 2,
        deletions: 1,
      },
      { path: "new file.txt", status: "added", newMode: "100644", binary: false, additions: 1, deletions: 0 },
      { path: "old.txt", status: "deleted", oldMode: "100644", binary: false, additions: 0, deletions: 3 },
      {
        path: "run.sh",
        status: "modified",
        oldMode: "100644",
        newMode: "100755",
        binary: false,
        additions: 0,
        deletions: 0,
      },
      {
        path: "to/ü.ts",
        oldPath: "from/ü.ts",
        status: "renamed",
        oldMode: "100644",
        newMode: "100644",
        binary: false,
        additions: 0,
        deletions: 0,
      },
      {
        path: "img.png",
        status: "modified",
        oldMode: "100644",
        newMode: "100644",
        binary: true,
        additions: 0,
        deletions: 0,
      },
    ]);
  });
});
