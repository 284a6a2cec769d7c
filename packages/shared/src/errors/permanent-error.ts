import { FixfleetError } from "./fixfleet-error.js";

/** A failure that the same attempt will meet again: stop now and tell a person why. */
export class PermanentError extends FixfleetError {
  readonly kind = "permanent" as const;

  constructor(...args: ConstructorParameters<typeof FixfleetError>) {
    super(...args);
    this.name = "PermanentError";
  }
}
