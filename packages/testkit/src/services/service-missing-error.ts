/** A real service the tests need (Redis, Docker) is not there, with what to install. */
export class ServiceMissingError extends Error {
  constructor(service: string, howToInstall: string, detail?: string) {
    super(`${service} is not available${detail ? ` (${detail})` : ""}. ${howToInstall}`);
    this.name = "ServiceMissingError";
  }
}

/** With CI=true a missing service fails the run; elsewhere the tests that need it skip. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true" || env.CI === "1";
}
