export { nameHash } from "./name-hash.js";
export { readObjects, renderKustomization, splitImage } from "./render-kustomization.js";
export type { K8sObject } from "./resource.js";
export { strategicMerge } from "./strategic-merge.js";
