import { createRequire } from "node:module";

interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
let definitions: Definition[] | undefined;

function all(): Definition[] {
  definitions ??= require("@octokit/webhooks-examples") as Definition[];
  return definitions;
}

/**
 * Every real example payload GitHub documents for an event (from @octokit/webhooks-examples),
 * deep-copied so a test may change it.
 */
// biome-ignore lint/suspicious/noExplicitAny: payloads are GitHub's, typed by the test that reads them
export function webhookExamples(event: string): any[] {
  const definition = all().find((d) => d.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no examples of "${event}"`);
  return definition.examples.map((e) => structuredClone(e));
}

/** The first real example of an event, optionally of one `action`. */
// biome-ignore lint/suspicious/noExplicitAny: see webhookExamples
export function webhookExample(event: string, filter: { action?: string; where?: (p: any) => boolean } = {}): any {
  const found = webhookExamples(event).find(
    (p) => (filter.action === undefined || p.action === filter.action) && (filter.where?.(p) ?? true),
  );
  if (!found) throw new Error(`no example of "${event}" matches ${JSON.stringify(filter.action ?? "the filter")}`);
  return found;
}

/** Event names that have examples. */
export function webhookEventNames(): string[] {
  return all().map((d) => d.name);
}
