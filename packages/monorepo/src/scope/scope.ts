import type { ChosenUnit } from "../mapping/evidence.js";
import type { VerifyCommand } from "../verify/infer-verify-command.js";

export interface ScopeUnit extends ChosenUnit {
  verify: VerifyCommand[];
  /** Why there is no verify command, when there is none. */
  verifyNote?: string;
}

/** What one fix may touch and how it is verified. Plain data: it travels in a job and into the sandbox. */
export interface Scope {
  units: ScopeUnit[];
  /** Every verify command of the scope, each once, in unit order. */
  verify: VerifyCommand[];
  /** Globs the agent may never write (the defaults plus the config's). */
  protected: string[];
  /** Whether toolchain files at a workspace root (lockfiles, manifests, shared configs) may be written. */
  rootFiles: "read-only" | "writable";
  /** Root-level globs the config allows despite `rootFiles` being read-only. */
  allowedRootGlobs: string[];
  /** Toolchain files at workspace roots (from discovery): read-only unless allowed. */
  toolchainFiles: string[];
}
