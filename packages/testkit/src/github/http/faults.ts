/** What the next calls of a route answer instead of (or on top of) the real behaviour. */
export type Fault =
  | { status: number; times?: number; body?: unknown; headers?: Record<string, string> }
  | { secondaryRateLimit: true; retryAfter?: number; times?: number }
  | { primaryRateLimit: true; times?: number }
  | { delayMs: number; times?: number };

interface Armed {
  route: string;
  fault: Fault;
  remaining: number;
}

/** Per-route fault injection; `route` is `"METHOD /template"` as octokit names it, or `"*"`. */
export class FaultTable {
  private armed: Armed[] = [];

  inject(route: string, fault: Fault): void {
    this.armed.push({ route: normalize(route), fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /** The faults due for this call (a delay may come with a status), consuming one use of each. */
  take(route: string): Fault[] {
    const key = normalize(route);
    const due: Fault[] = [];
    for (const armed of this.armed) {
      if (armed.remaining <= 0) continue;
      if (armed.route !== "*" && armed.route !== key) continue;
      if (due.some((f) => !("delayMs" in f)) && !("delayMs" in armed.fault)) continue;
      armed.remaining -= 1;
      due.push(armed.fault);
    }
    this.armed = this.armed.filter((a) => a.remaining > 0);
    return due;
  }
}

function normalize(route: string): string {
  if (route === "*") return route;
  const [method, path] = route.trim().split(/\s+/);
  return `${method!.toUpperCase()} ${path}`;
}
