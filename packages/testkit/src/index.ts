export * from "./anthropic/index.js";
export * from "./fleet/index.js";
export * from "./github/index.js";
export { buildImage, type ContextEntry, contextTar, imageExists } from "./images/build-image.js";
export { BUSYBOX_IMAGE, ensureBusyboxImage } from "./images/busybox-image.js";
export {
  ensureSandboxBaseImage,
  ensureSandboxImage,
  SANDBOX_BASE_IMAGE,
  SANDBOX_DOCKERFILE,
  SANDBOX_IMAGE,
} from "./images/sandbox-image.js";
export * from "./oidc/index.js";
export { dockerClient, ensureDockerEngine } from "./services/docker-engine.js";
export { freePort } from "./services/free-port.js";
export { type RedisServer, redisServerInstalled, startRedisServer } from "./services/redis-server.js";
export { isCi, ServiceMissingError } from "./services/service-missing-error.js";
export { dockerAvailable, testRedisUrl, uniquePrefix } from "./services/test-context.js";
export * from "./webhooks/index.js";
