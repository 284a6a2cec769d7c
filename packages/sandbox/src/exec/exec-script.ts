/**
 * The wrapper every command runs under. It starts the command in a session (and so a process
 * group) of its own under GNU `timeout -k`, waits, kills whatever the command left behind in
 * its group, and reports on stderr, after a marker only the host knows, the exit code and how
 * many OOM kills and pids-limit refusals the container's cgroup counted meanwhile. Counters are
 * read with shell builtins only: after a fork bomb the wrapper cannot fork.
 *
 * Arguments: marker, timeout seconds, kill grace seconds, pid file, then the command's argv.
 */
export const EXEC_WRAPPER = [
  "m=$1; t=$2; k=$3; pf=$4; shift 4",
  'rd() { _v=0; [ -r "$1" ] || return 1; while read -r _a _b; do [ "$_a" = "$2" ] && _v=$_b; done < "$1"; return 0; }',
  "ctr() {",
  "  rd /sys/fs/cgroup/memory.events oom_kill || rd /sys/fs/cgroup/memory/memory.oom_control oom_kill; o=$_v",
  "  rd /sys/fs/cgroup/pids.events max || rd /sys/fs/cgroup/pids/pids.events max; p=$_v",
  "}",
  "ctr; o0=$o; p0=$p",
  "exec 3<&0",
  'setsid timeout -k "$k" "$t" "$@" 0<&3 3<&- &',
  "pg=$!",
  "exec 3<&-",
  'echo "$pg" > "$pf" 2>/dev/null',
  'wait "$pg"; rc=$?',
  'kill -KILL -"$pg" 2>/dev/null; kill -KILL -"$pg" 2>/dev/null',
  "ctr",
  'printf \'\\n%s %s %s %s\\n\' "$m" "$rc" $((o - o0)) $((p - p0)) >&2',
  'rm -f "$pf" 2>/dev/null',
  'exit "$rc"',
].join("\n");

export interface ExecTrailer {
  exitCode: number;
  oomKills: number;
  pidsRefusals: number;
}

/** The wrapper's report is at most this long; stderr's last bytes are held back to find it. */
export const TRAILER_HOLDBACK = 160;

/**
 * Finds the wrapper's report at the very end of stderr and returns it with the bytes before
 * it (the command's own stderr).
 */
export function splitTrailer(tail: Buffer, marker: string): { before: Buffer; trailer?: ExecTrailer } {
  const text = tail.toString("latin1");
  const at = text.lastIndexOf(`\n${marker} `);
  if (at < 0) return { before: tail };
  const match = /^ (-?\d+) (-?\d+) (-?\d+)\n?$/.exec(text.slice(at + 1 + marker.length));
  if (!match) return { before: tail };
  return {
    before: tail.subarray(0, at),
    trailer: { exitCode: Number(match[1]), oomKills: Number(match[2]), pidsRefusals: Number(match[3]) },
  };
}
