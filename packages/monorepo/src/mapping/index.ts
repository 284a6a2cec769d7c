export type { BatchMapping, ChosenUnit, Evidence, EvidenceSignal, FailureSignals, UnitRole } from "./evidence.js";
export { extractLogPaths } from "./log-paths.js";
export { type MapBatchInput, mapBatch } from "./map-batch.js";
export { renderMappingMarkdown } from "./render-mapping.js";
export { buildUnitIndex, type Unit, type UnitIndex } from "./units.js";
