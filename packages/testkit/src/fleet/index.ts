export { BAD_SUM, GOOD_SUM, report, type SeededRepo, scriptSumFix, seedCalculator } from "./calculator-repo.js";
export { type FleetProcess, REPO_ROOT, startApp, waitFor } from "./fleet-process.js";
export { type Fleet, type FleetOptions, startFleet, type WorkerProcess } from "./start-fleet.js";
export * from "./two-package-repo.js";
export { useFleet } from "./use-fleet.js";
