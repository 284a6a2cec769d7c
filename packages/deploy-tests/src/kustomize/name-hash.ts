import { createHash } from "node:crypto";
import type { K8sObject } from "./resource.js";

/**
 * kustomize's content hash of a generated ConfigMap or Secret (api/hasher): Go's json.Marshal of
 * {kind, name, data[, binaryData]} (Secrets: plus type[, stringData]) with sorted keys, SHA-256,
 * the first 10 hex digits with 0,1,3,a,e replaced by g,h,k,m,t so it never looks like a number.
 */
export function nameHash(object: K8sObject): string {
  const field = (key: string) => (object[key] === undefined ? "" : object[key]);
  let encoded: Record<string, unknown>;
  if (object.kind === "ConfigMap") {
    encoded = { kind: "ConfigMap", name: object.metadata.name, data: field("data") };
    if (isMap(object.binaryData)) encoded.binaryData = object.binaryData;
  } else if (object.kind === "Secret") {
    encoded = { kind: "Secret", type: field("type"), name: object.metadata.name, data: field("data") };
    if (isMap(object.stringData)) encoded.stringData = object.stringData;
  } else {
    throw new Error(`kustomize only hashes ConfigMaps and Secrets here, not ${object.kind}`);
  }
  const hex = createHash("sha256").update(goJson(encoded)).digest("hex");
  return [...hex.slice(0, 10)].map((c) => ({ "0": "g", "1": "h", "3": "k", a: "m", e: "t" })[c] ?? c).join("");
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON as Go's encoding/json writes it: map keys sorted, and <, >, & escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isMap(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}
