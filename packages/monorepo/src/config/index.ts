export {
  DEFAULT_PROTECTED,
  DEFAULT_SPARSE_THRESHOLD_FILES,
  DEFAULT_SPARSE_THRESHOLD_KB,
  type MonorepoConfig,
  monorepoConfigSchema,
  monorepoConfigShape,
  type ScopeEntry,
  type SparseCheckoutConfig,
  scopeEntrySchema,
  sparseCheckoutConfigSchema,
} from "./monorepo-config.js";
