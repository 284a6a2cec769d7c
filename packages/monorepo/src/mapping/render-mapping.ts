import type { BatchMapping, EvidenceSignal } from "./evidence.js";

const SIGNAL_LABEL: Record<EvidenceSignal, string> = {
  "config-scope": "config",
  "report-paths": "report paths",
  "working-directory": "working directory",
  "job-name": "job name",
  command: "command",
  "log-path": "log",
  "log-name": "log",
  "changed-files": "changed files",
  dependency: "dependency",
  fallback: "fallback",
};

/** The mapping as Markdown for the PR comment: each unit in scope and why. */
export function renderMappingMarkdown(mapping: BatchMapping): string {
  const lines = ["| Scope | Role | Why |", "| --- | --- | --- |"];
  for (const unit of mapping.units) {
    const where = unit.dirs.map((d) => `\`${d}\``).join(", ");
    const why = unit.evidence.map((e) => `**${SIGNAL_LABEL[e.signal]}**: ${escapeCell(e.detail)}`).join("<br>");
    lines.push(`| ${escapeCell(unit.name)} (${where}) | ${unit.role} | ${why} |`);
  }
  for (const note of [...mapping.warnings, ...mapping.unmatched]) lines.push("", `> ${note}`);
  return lines.join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
