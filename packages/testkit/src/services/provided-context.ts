// What global-setup.ts provides to every test of a project, typed for `inject`.
declare module "vitest" {
  export interface ProvidedContext {
    /** A real Redis for this test project: one we started, or REDIS_URL when given. */
    redisUrl: string;
    /** Whether a Docker engine answers. Always true under CI=true, where a missing one fails the run. */
    dockerAvailable: boolean;
    /** Why Docker is not available, for the skip message. */
    dockerProblem: string;
  }
}

export {};
