/**
 * A tool call that could not be carried out, with a message written for the model: what went
 * wrong and what to do instead. It becomes a `tool_result` with `is_error: true`, never an
 * exception out of the loop.
 */
export class ToolError extends Error {
  constructor(
    message: string,
    /** The guard rule that refused the call, when one did. */
    readonly rule?: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}
