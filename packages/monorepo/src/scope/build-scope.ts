import { DEFAULT_PROTECTED, type MonorepoConfig } from "../config/monorepo-config.js";
import type { BatchMapping, FailureSignals } from "../mapping/evidence.js";
import type { Workspace } from "../types.js";
import { inferVerifyCommand, type VerifyCommand } from "../verify/infer-verify-command.js";
import type { Scope, ScopeUnit } from "./scope.js";

export interface BuildScopeInput {
  workspace: Workspace;
  mapping: BatchMapping;
  failures?: readonly FailureSignals[];
  config?: Pick<MonorepoConfig, "scopes" | "protected" | "allow_root_files">;
}

/**
 * The fix's scope from a mapping. Verify commands per unit: the config scope's `verify`, else the
 * `command` of the reports that picked the unit, else the one inferred for its ecosystem.
 */
export function buildScope(input: BuildScopeInput): Scope {
  const failures = input.failures ?? [];
  const units: ScopeUnit[] = input.mapping.units.map((unit) => {
    const fromConfig = unit.configScope?.verify;
    if (fromConfig) {
      const cwd = unit.configScope?.working_directory ?? ".";
      const commands = typeof fromConfig === "string" ? [fromConfig] : fromConfig;
      return { ...unit, verify: commands.map((command) => ({ command, cwd, source: "config", unit: unit.id })) };
    }
    const reported = [...new Set(unit.failures.map((i) => failures[i]?.command).filter((c): c is string => !!c))];
    if (reported.length > 0 && unit.role !== "dependency") {
      return { ...unit, verify: reported.map((command) => ({ command, cwd: ".", source: "report", unit: unit.id })) };
    }
    const inferred = unit.package ? inferVerifyCommand(unit.package) : undefined;
    if (inferred) return { ...unit, verify: [{ ...inferred, unit: unit.id }] };
    const verifyNote = unit.package
      ? unit.package.ecosystem === "node"
        ? `${unit.package.manifest} has no "test" script and no report gave a command; add \`verify\` for it in .github/fixfleet.yml.`
        : `no test command is known for ${unit.name}; add \`verify\` for it in .github/fixfleet.yml.`
      : `no command verifies ${unit.name}; add a scope with \`verify\` in .github/fixfleet.yml.`;
    return { ...unit, verify: [], verifyNote };
  });

  const seen = new Set<string>();
  const verify: VerifyCommand[] = [];
  for (const unit of units) {
    for (const v of unit.verify) {
      const key = `${v.cwd}\u0000${v.command}`;
      if (seen.has(key)) continue;
      seen.add(key);
      verify.push(v);
    }
  }

  const allow = input.config?.allow_root_files;
  return {
    units,
    verify,
    protected: [...new Set([...DEFAULT_PROTECTED, ...(input.config?.protected ?? [])])],
    rootFiles: allow === true ? "writable" : "read-only",
    allowedRootGlobs: Array.isArray(allow) ? [...allow] : [],
    toolchainFiles: [...input.workspace.toolchainFiles],
  };
}
