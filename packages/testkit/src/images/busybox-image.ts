import { readFileSync } from "node:fs";
import type Docker from "dockerode";
import { buildImage, type ContextEntry, contextTar, imageExists } from "./build-image.js";

export const BUSYBOX_IMAGE = "fixfleet-test-busybox:latest";
const BUSYBOX_PATH = "/bin/busybox";
const APPLETS = [
  "sh",
  "ls",
  "cat",
  "echo",
  "sleep",
  "id",
  "env",
  "true",
  "false",
  "mkdir",
  "rm",
  "timeout",
  "kill",
  "ps",
  "wc",
  "head",
  "tail",
  "dd",
  "yes",
  "nc",
  "wget",
  "touch",
  "chmod",
  "stat",
  "sha256sum",
  "printf",
  "test",
  "grep",
  "sed",
  "tr",
];

/**
 * A tiny image made here, with no registry: `FROM scratch` plus Debian's static busybox
 * (package busybox-static) and a non-root user. Enough for tests of the container machinery.
 */
export async function ensureBusyboxImage(docker: Docker, tag = BUSYBOX_IMAGE): Promise<string> {
  if (await imageExists(docker, tag)) return tag;
  let busybox: Buffer;
  try {
    busybox = readFileSync(BUSYBOX_PATH);
  } catch {
    throw new Error(`${BUSYBOX_PATH} is missing: install Debian's busybox-static (apt-get install busybox-static)`);
  }
  const entries: ContextEntry[] = [
    { name: "Dockerfile", content: 'FROM scratch\nCOPY rootfs/ /\nUSER 65534:65534\nCMD ["/bin/sh"]\n' },
    { name: "rootfs/bin/busybox", content: busybox, mode: 0o755 },
    { name: "rootfs/etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n" },
    { name: "rootfs/etc/group", content: "root:x:0:\nnogroup:x:65534:\n" },
    { name: "rootfs/tmp", type: "directory", mode: 0o1777 },
    ...APPLETS.map((applet): ContextEntry => ({ name: `rootfs/bin/${applet}`, type: "symlink", linkname: "busybox" })),
  ];
  await buildImage(docker, tag, contextTar(entries));
  return tag;
}
