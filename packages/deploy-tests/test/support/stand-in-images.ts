import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { buildImage, contextTar, ensureSandboxBaseImage, SANDBOX_BASE_IMAGE } from "@fixfleet/testkit";
import type Docker from "dockerode";
import { hostRootfsContext } from "../../../testkit/src/images/host-rootfs.js";

/**
 * Stand-ins for the registry images the compose stack names (`redis:7`, `docker:27-dind`,
 * `node:20-bookworm-slim`), assembled from this machine's own programs: there is no registry
 * here. A real image of the same name (one without our label) is left alone.
 */
const LABEL = "fixfleet.stand-in";

const SHELL = ["/usr/bin/sh", "/usr/bin/dash", "/usr/bin/mkdir", "/usr/bin/cat", "/usr/bin/sleep", "/usr/bin/true"];

const REDIS_PATHS = [...SHELL, "/usr/bin/redis-server", "/usr/bin/redis-cli", "/usr/bin/redis-check-rdb"];

const DIND_PATHS = [
  ...SHELL,
  "/usr/bin/rm",
  "/usr/bin/grep",
  "/usr/bin/mount",
  "/usr/sbin/dockerd",
  "/usr/bin/docker",
  "/usr/bin/containerd",
  "/usr/bin/containerd-shim-runc-v2",
  "/usr/sbin/runc",
  "/usr/bin/docker-init",
  "/usr/sbin/docker-proxy",
  "/usr/sbin/iptables",
  "/usr/sbin/iptables-save",
  "/usr/sbin/iptables-restore",
  "/usr/sbin/ip6tables",
  "/usr/sbin/ip6tables-save",
  "/usr/sbin/ip6tables-restore",
  "/usr/sbin/xtables-nft-multi",
  "/usr/sbin/xtables-legacy-multi",
  "/usr/lib/x86_64-linux-gnu/xtables",
  "/etc/alternatives/iptables",
  "/etc/alternatives/ip6tables",
];

/** What docker:dind's entrypoint does with DOCKER_TLS_CERTDIR="": the socket plus plain TCP on 2375. */
const DIND_ENTRYPOINT = `#!/bin/sh
set -e
if [ "$#" -eq 0 ] || [ "\${1#-}" != "$1" ]; then
  set -- dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 "$@"
fi
exec "$@"
`;

function recipe(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    hash.update(part);
    if (part.startsWith("/") && existsSync(part)) {
      const st = statSync(part);
      hash.update(`${st.size}:${st.mtimeMs}`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

async function labelOf(docker: Docker, tag: string): Promise<string | undefined | null> {
  try {
    const info = await docker.getImage(tag).inspect();
    return info.Config?.Labels?.[LABEL] ?? null;
  } catch {
    return undefined;
  }
}

async function ensure(docker: Docker, tag: string, paths: string[], dockerfile: string): Promise<string> {
  const wanted = recipe([dockerfile, ...paths]);
  const current = await labelOf(docker, tag);
  if (current === null || current === wanted) return tag;
  await buildImage(docker, tag, hostRootfsContext(`${dockerfile}LABEL ${LABEL}=${wanted}\n`, paths));
  return tag;
}

/**
 * The official image builds Redis with protected mode off (it is reached over the container
 * network, never on loopback); Debian's build has it on, so the stand-in turns it off the same
 * way for every `redis-server` it starts.
 */
const REDIS_ENTRYPOINT = `#!/bin/sh
set -e
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi
exec "$@"
`;

export async function ensureRedisStandIn(docker: Docker, tag = "redis:7"): Promise<string> {
  const base = await ensure(
    docker,
    `${tag}-rootfs`,
    REDIS_PATHS,
    [
      "FROM scratch",
      "COPY rootfs/ /",
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "",
    ].join("\n"),
  );
  const dockerfile = [
    `FROM ${base}`,
    "COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh",
    "RUN mkdir -p /data",
    "WORKDIR /data",
    "EXPOSE 6379",
    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]',
    'CMD ["redis-server"]',
    `LABEL ${LABEL}=${recipe([REDIS_ENTRYPOINT, base])}`,
    "",
  ].join("\n");
  if ((await labelOf(docker, tag)) === recipe([REDIS_ENTRYPOINT, base])) return tag;
  await buildImage(
    docker,
    tag,
    contextTar([
      { name: "Dockerfile", content: dockerfile },
      { name: "docker-entrypoint.sh", content: REDIS_ENTRYPOINT, mode: 0o755 },
    ]),
  );
  return tag;
}

export async function ensureDindStandIn(docker: Docker, tag = "docker:27-dind"): Promise<string> {
  const base = await ensure(
    docker,
    `${tag}-rootfs`,
    DIND_PATHS,
    [
      "FROM scratch",
      "COPY rootfs/ /",
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "",
    ].join("\n"),
  );
  const dockerfile = [
    `FROM ${base}`,
    "COPY dockerd-entrypoint.sh /usr/local/bin/dockerd-entrypoint.sh",
    "RUN mkdir -p /var/run /var/lib/docker /tmp",
    "VOLUME /var/lib/docker",
    "EXPOSE 2375",
    'ENTRYPOINT ["/usr/local/bin/dockerd-entrypoint.sh"]',
    "CMD []",
    `LABEL ${LABEL}=${recipe([DIND_ENTRYPOINT, base])}`,
    "",
  ].join("\n");
  if ((await labelOf(docker, tag)) === recipe([DIND_ENTRYPOINT, base])) return tag;
  await buildImage(
    docker,
    tag,
    contextTar([
      { name: "Dockerfile", content: dockerfile },
      { name: "dockerd-entrypoint.sh", content: DIND_ENTRYPOINT, mode: 0o755 },
    ]),
  );
  return tag;
}

/**
 * The base the fixfleet images build on here: the node stand-in plus this machine's CA bundle,
 * so `npm ci` inside `docker build` trusts the same TLS proxy the host's npm does.
 */
export async function ensureBuildBase(docker: Docker, tag = "fixfleet-e2e-node:20"): Promise<string> {
  await ensureSandboxBaseImage(docker);
  const caFile = process.env.NODE_EXTRA_CA_CERTS ?? process.env.SSL_CERT_FILE;
  if (!caFile || !existsSync(caFile)) return SANDBOX_BASE_IMAGE;
  const dockerfile = [
    `FROM ${SANDBOX_BASE_IMAGE}`,
    "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt",
    "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt",
    "",
  ].join("\n");
  await buildImage(
    docker,
    tag,
    contextTar([
      { name: "Dockerfile", content: dockerfile },
      { name: "ca-certificates.crt", content: readFileSync(caFile) },
    ]),
  );
  return tag;
}
