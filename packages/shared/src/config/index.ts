export { ConfigError } from "./config-error.js";
export { type Env, type EnvSpec, type EnvVarSpec, parseEnv } from "./env-spec.js";
export { readConfigOrExit } from "./exit-on-config-error.js";
export { type IngestConfig, ingestEnv, ingestSecrets, readIngestConfig, redisPassword } from "./ingest-config.js";
export {
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_SANDBOX_IMAGE,
  type ReadWorkerConfigDeps,
  readWorkerConfig,
  type WorkerConfig,
  workerEnv,
  workerSecrets,
} from "./worker-config.js";
