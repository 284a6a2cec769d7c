import { ScriptError } from "./build-message.js";
import type { AssistantTurn, RecordedRequest, ScriptedTurn } from "./types.js";

/** The assistant turns a test scripted, and the mistakes found while playing them. */
export class TurnScript {
  readonly #turns: ScriptedTurn[] = [];
  readonly errors: Error[] = [];

  get pending(): number {
    return this.#turns.length;
  }

  push(turns: readonly ScriptedTurn[]): void {
    this.#turns.push(...turns);
  }

  /** The next turn, a turn function applied to the request it answers. */
  async next(request: RecordedRequest): Promise<AssistantTurn> {
    const next = this.#turns.shift();
    if (next === undefined) throw new ScriptError("no scripted turn left for this request");
    if (typeof next !== "function") return next;
    try {
      return await next(request);
    } catch (error) {
      throw new ScriptError(`turn function threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  assertDone(): void {
    const problems = [
      ...this.errors.map((error) => error.message),
      ...(this.#turns.length > 0 ? [`${this.#turns.length} scripted turn(s) never requested`] : []),
    ];
    if (problems.length > 0) throw new Error(`fake-anthropic: ${problems.join("; ")}`);
  }

  clear(): void {
    this.#turns.length = 0;
    this.errors.length = 0;
  }
}
