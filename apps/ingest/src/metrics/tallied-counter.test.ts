import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { TalliedCounter } from "./tallied-counter.js";

function counter() {
  const registry = new Registry();
  const tally = new TalliedCounter({
    name: "t_requests_total",
    help: "requests",
    labelNames: ["method", "route", "status"] as const,
    registry,
  });
  return { registry, tally };
}

describe("TalliedCounter", () => {
  it("shows every increment on a scrape, by label set, and counts each once across scrapes", async () => {
    const { registry, tally } = counter();
    tally.inc("POST", "/webhooks/github", "202");
    tally.inc("POST", "/webhooks/github", "202");
    tally.inc("GET", "/healthz", "200");
    const first = await registry.metrics();
    expect(first).toContain('t_requests_total{method="POST",route="/webhooks/github",status="202"} 2');
    expect(first).toContain('t_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(await registry.metrics()).toBe(first);
    tally.inc("POST", "/webhooks/github", "202");
    expect(await registry.metrics()).toContain(
      't_requests_total{method="POST",route="/webhooks/github",status="202"} 3',
    );
  });

  it("keeps label values apart however they split, empty ones included", async () => {
    const { tally } = counter();
    tally.inc("a b", "c", "");
    tally.inc("a", "b c", "");
    tally.inc("a", "b", " c");
    const { values } = await tally.counter.get();
    expect(values.map((v) => [v.labels, v.value])).toEqual([
      [{ method: "a b", route: "c", status: "" }, 1],
      [{ method: "a", route: "b c", status: "" }, 1],
      [{ method: "a", route: "b", status: " c" }, 1],
    ]);
  });
});
