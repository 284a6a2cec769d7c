import type { ScopeEntry } from "../config/monorepo-config.js";
import type { Ecosystem, WorkspacePackage } from "../types.js";

/** Which signal picked a unit. Ordered here from strongest to weakest. */
export type EvidenceSignal =
  | "config-scope"
  | "report-paths"
  | "working-directory"
  | "job-name"
  | "command"
  | "log-path"
  | "log-name"
  | "changed-files"
  | "dependency"
  | "fallback";

/** One reason a unit is in the fix's scope, written to be shown to a person as is. */
export interface Evidence {
  signal: EvidenceSignal;
  detail: string;
  /** The job whose report carried the signal, when there was one. */
  job?: string;
}

/** What one failing job tells about where it failed (the report of CONTRACT.md §4 plus what the worker extracted). */
export interface FailureSignals {
  job?: string;
  command?: string;
  paths?: readonly string[];
  /** The failing step's working directory (`defaults.run.working-directory`, `working-directory:`). */
  workingDirectory?: string;
  /** The extracted log of the failing job (the tail is enough). */
  log?: string;
}

export type UnitRole = "failing" | "dependency" | "changed" | "fallback";

export interface ChosenUnit {
  id: string;
  name: string;
  dirs: string[];
  globs: string[];
  exclude: string[];
  ecosystem?: Ecosystem;
  role: UnitRole;
  evidence: Evidence[];
  package?: WorkspacePackage;
  configScope?: ScopeEntry;
  /** Indexes into the batch's failures that picked this unit (their `command` verifies it). */
  failures: number[];
}

export interface BatchMapping {
  units: ChosenUnit[];
  /** Signals that named no unit (a report path outside every package, …), as sentences. */
  unmatched: string[];
  warnings: string[];
}
