/**
 * Builds the default sandbox image on this machine without any registry: a stand-in for the
 * Dockerfile's base made from the machine's own node, git and shell, then the Dockerfile on it.
 * Run: npm run image:local -w @fixfleet/sandbox  (or: npx tsx infra/sandbox/build-local-image.ts [tag])
 */
import { ensureSandboxImage, SANDBOX_IMAGE } from "../../packages/testkit/src/images/sandbox-image.js";
import { ensureDockerEngine } from "../../packages/testkit/src/services/docker-engine.js";

const tag = process.argv[2] ?? SANDBOX_IMAGE;
const started = Date.now();
const docker = await ensureDockerEngine();
await ensureSandboxImage(docker, tag);
process.stdout.write(`${tag} is ready (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
