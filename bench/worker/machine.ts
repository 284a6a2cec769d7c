import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export const uptime = (): string => execFileSync("uptime", { encoding: "utf8" }).trim();

/** Busy and total CPU jiffies of the whole machine (/proc/stat), to tell how busy both cores were. */
export function cpuJiffies(): { busy: number; total: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((s, v) => s + v, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

const TICK = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process used so far; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** Pids of processes whose command name starts with one of `names` (read-only look at /proc). */
export function pidsNamed(names: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (names.some((n) => comm.startsWith(n))) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}
