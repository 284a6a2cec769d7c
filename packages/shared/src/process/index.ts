export { onShutdownSignals } from "./on-shutdown-signals.js";
