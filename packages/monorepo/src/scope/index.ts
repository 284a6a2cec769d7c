export { type BuildScopeInput, buildScope } from "./build-scope.js";
export { checkDiff, type DiffCheck, isWritable, type WriteDecision } from "./is-writable.js";
export type { Scope, ScopeUnit } from "./scope.js";
