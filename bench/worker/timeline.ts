import type { SandboxEvent } from "./docker-events.js";

/** What one fix's clocks said, all in ms since the epoch on this machine's clock. */
export interface FixClocks {
  repo: string;
  accepted: number;
  branch?: number | undefined;
  /** BullMQ's events stream (its entry ids are Redis's clock in ms). */
  active?: number | undefined;
  stageStart: Partial<Record<"context" | "fix" | "publish", number>>;
  completed?: number | undefined;
  /** Arrival times of the model requests of this fix's conversation. */
  modelRequests: number[];
  sandbox: SandboxEvent[];
  /** The fake GitHub's calls for this repository (route and arrival). */
  githubCalls: Array<{ route: string; at: number }>;
}

export const SEGMENTS = [
  "queue wait",
  "context",
  "fix: clone + copy + scope",
  "fix: sandbox create + copy in",
  "fix: reproduce",
  "fix: agent (4 turns + tools)",
  "fix: verification + diff",
  "fix: sandbox teardown",
  "publish until branch",
] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface FixTimeline {
  repo: string;
  totalMs: number;
  segments: Record<Segment, number>;
  /** Execs the sandbox saw (count and summed time), to show what the agent's time is. */
  execs: { count: number; ms: number };
  /** GitHub calls from the context stage's start to the branch, ms after the fix was accepted. */
  githubCalls: Array<{ route: string; afterMs: number }>;
}

/**
 * Splits accepted → branch into consecutive segments, each bounded by a mark that some clock
 * recorded: BullMQ's progress events for stage starts, Docker's container events for the
 * sandbox's life, the fake Anthropic's request arrivals for the agent's turns. The segments
 * add up to the total exactly (each starts where the previous ended).
 */
export function fixTimeline(clocks: FixClocks): FixTimeline | undefined {
  const { accepted, branch, active, stageStart, sandbox } = clocks;
  const contextStart = stageStart.context;
  const fixStart = stageStart.fix;
  const publishStart = stageStart.publish;
  if (branch === undefined || active === undefined || contextStart === undefined) return undefined;
  if (fixStart === undefined || publishStart === undefined) return undefined;
  const first = (action: string, after = 0) => sandbox.find((e) => e.action === action && e.at >= after)?.at;
  const created = first("create");
  const copied = first("extract-to-dir");
  const reproStart = copied === undefined ? undefined : first("exec_start", copied);
  const reproEnd = reproStart === undefined ? undefined : first("exec_die", reproStart);
  const lastModel = clocks.modelRequests.at(-1);
  const killed = first("kill") ?? first("die");
  if ([created, copied, reproStart, reproEnd, lastModel, killed].some((t) => t === undefined)) return undefined;
  const marks = [
    accepted,
    contextStart,
    fixStart,
    created,
    reproStart,
    reproEnd,
    lastModel,
    killed,
    publishStart,
    branch,
  ] as number[];
  const segments = Object.fromEntries(
    SEGMENTS.map((name, i) => [name, (marks[i + 1] as number) - (marks[i] as number)]),
  );
  const starts = sandbox.filter((e) => e.action === "exec_start");
  let execMs = 0;
  for (const s of starts) {
    const end = sandbox.find((e) => e.action === "exec_die" && e.at >= s.at);
    if (end) execMs += end.at - s.at;
  }
  return {
    repo: clocks.repo,
    totalMs: branch - accepted,
    segments: segments as Record<Segment, number>,
    execs: { count: starts.length, ms: execMs },
    githubCalls: clocks.githubCalls
      .filter((c) => c.at >= contextStart && c.at <= branch)
      .map((c) => ({ route: c.route, afterMs: c.at - accepted })),
  };
}
