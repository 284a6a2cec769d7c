import type { Redis } from "ioredis";

export type BudgetScope = "fix" | "pr" | "repo_day" | "installation_day";

export interface Amount {
  tokens: number;
  /** Micro-dollars. */
  usdMicros: number;
}

export interface Limit {
  tokens?: number;
  usdMicros?: number;
}

export type BudgetLimits = Partial<Record<BudgetScope, Limit>>;

export interface BudgetSubjects {
  /** The fix (batch) id. */
  fix: string;
  /** `owner/repo#n`, when the fix belongs to a pull request. */
  pr?: string;
  repo: string;
  installation?: number;
}

export type Reservation = { ok: true; keys: string[]; amount: Amount } | BudgetRefusal;

export interface BudgetRefusal {
  ok: false;
  scope: BudgetScope;
  dimension: "tokens" | "usd";
  limit: number;
  used: number;
  /** When a daily budget starts again; undefined for per-fix and per-PR budgets. */
  resetsAt: Date | undefined;
}

// Checks every scope's room and takes the amount from all of them, or from none: two fixes
// racing for the last of a budget cannot both get it.
const RESERVE = `
local n = #KEYS
for i = 1, n do
  local tokens = tonumber(redis.call("HGET", KEYS[i], "tokens") or "0")
  local usd = tonumber(redis.call("HGET", KEYS[i], "usd") or "0")
  local tl = tonumber(ARGV[2 + (i - 1) * 2 + 1])
  local ul = tonumber(ARGV[2 + (i - 1) * 2 + 2])
  if tl >= 0 and tokens + tonumber(ARGV[1]) > tl then return {i, 1, tokens} end
  if ul >= 0 and usd + tonumber(ARGV[2]) > ul then return {i, 2, usd} end
end
local ttl = tonumber(ARGV[2 + n * 2 + 1])
for i = 1, n do
  redis.call("HINCRBY", KEYS[i], "tokens", ARGV[1])
  redis.call("HINCRBY", KEYS[i], "usd", ARGV[2])
  redis.call("PEXPIRE", KEYS[i], ttl)
end
return {0, 0, 0}`;

export interface BudgetLedger {
  /** Takes `amount` from every budget that applies, or says which one has no room. */
  reserve(subjects: BudgetSubjects, amount: Amount): Promise<Reservation>;
  /** Replaces a reservation by what was really spent (may give some back). */
  settle(reservation: Extract<Reservation, { ok: true }>, actual: Amount): Promise<void>;
  /** What a scope has spent so far. */
  spent(subjects: BudgetSubjects, scope: BudgetScope): Promise<Amount>;
}

/** Spend per fix, pull request, repository per UTC day and installation per UTC day, in Redis. */
export function createBudgetLedger(
  redis: Redis,
  prefix: string,
  limits: BudgetLimits,
  now: () => number = Date.now,
): BudgetLedger {
  const day = () => new Date(now()).toISOString().slice(0, 10);
  const nextDay = () => {
    const d = new Date(`${day()}T00:00:00.000Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d;
  };
  const keyOf = (s: BudgetSubjects, scope: BudgetScope): string | undefined => {
    switch (scope) {
      case "fix":
        return `${prefix}:spend:fix:${s.fix}`;
      case "pr":
        return s.pr === undefined ? undefined : `${prefix}:spend:pr:${s.pr.toLowerCase()}`;
      case "repo_day":
        return `${prefix}:spend:repo:${s.repo.toLowerCase()}:${day()}`;
      case "installation_day":
        return s.installation === undefined ? undefined : `${prefix}:spend:installation:${s.installation}:${day()}`;
    }
  };
  const scopes: BudgetScope[] = ["fix", "pr", "repo_day", "installation_day"];
  return {
    async reserve(subjects, amount) {
      const applicable = scopes
        .map((scope) => ({ scope, key: keyOf(subjects, scope) }))
        .filter((x): x is { scope: BudgetScope; key: string } => x.key !== undefined);
      const args: string[] = [String(amount.tokens), String(amount.usdMicros)];
      for (const { scope } of applicable) {
        args.push(String(limits[scope]?.tokens ?? -1), String(limits[scope]?.usdMicros ?? -1));
      }
      args.push(String(40 * 86_400_000));
      const [index, dimension, used] = (await redis.eval(
        RESERVE,
        applicable.length,
        ...applicable.map((a) => a.key),
        ...args,
      )) as [number, number, number];
      if (index === 0) return { ok: true, keys: applicable.map((a) => a.key), amount };
      const failed = applicable[index - 1] as { scope: BudgetScope };
      const limit = limits[failed.scope] ?? {};
      return {
        ok: false,
        scope: failed.scope,
        dimension: dimension === 1 ? "tokens" : "usd",
        limit: (dimension === 1 ? limit.tokens : limit.usdMicros) ?? 0,
        used: Number(used),
        resetsAt: failed.scope.endsWith("_day") ? nextDay() : undefined,
      };
    },
    async settle(reservation, actual) {
      const tx = redis.multi();
      for (const key of reservation.keys) {
        tx.hincrby(key, "tokens", actual.tokens - reservation.amount.tokens);
        tx.hincrby(key, "usd", actual.usdMicros - reservation.amount.usdMicros);
      }
      await tx.exec();
    },
    async spent(subjects, scope) {
      const key = keyOf(subjects, scope);
      if (!key) return { tokens: 0, usdMicros: 0 };
      const [tokens, usd] = await redis.hmget(key, "tokens", "usd");
      return { tokens: Number(tokens ?? 0), usdMicros: Number(usd ?? 0) };
    },
  };
}

/** A sentence for the PR comment: which budget, and when it starts again. */
export function describeRefusal(refusal: BudgetRefusal): string {
  const names: Record<BudgetScope, string> = {
    fix: "the budget of one fix",
    pr: "this pull request's budget",
    repo_day: "this repository's daily budget",
    installation_day: "this installation's daily budget",
  };
  const amount =
    refusal.dimension === "tokens"
      ? `${refusal.used.toLocaleString("en-US")} of ${refusal.limit.toLocaleString("en-US")} tokens`
      : `$${(refusal.used / 1e6).toFixed(2)} of $${(refusal.limit / 1e6).toFixed(2)}`;
  const when = refusal.resetsAt ? `; it resets at ${refusal.resetsAt.toISOString()}` : "";
  return `${names[refusal.scope]} is spent (${amount} used)${when}`;
}
