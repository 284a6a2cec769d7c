/**
 * A strategic merge patch (Kubernetes' `patchStrategicMerge`) for the fields fixfleet's overlays
 * patch: maps merge key by key (null deletes), and lists of the pod spec whose API declares a
 * merge key merge item by item on that key; every other list is replaced, as the API server
 * does for lists without a patch strategy. Directives ($patch, $retainKeys, …) are refused.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  imagePullSecrets: "name",
  tolerations: "key",
};

export function strategicMerge(base: unknown, patch: unknown, field = ""): unknown {
  if (isMap(patch)) {
    for (const key of Object.keys(patch)) {
      if (key.startsWith("$")) throw new Error(`strategic merge directive ${key} is not supported by this renderer`);
    }
    if (!isMap(base)) return stripNulls(patch);
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = strategicMerge(base[key], value, key);
    }
    return out;
  }
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(base)) return patch.map((item) => stripNulls(item));
    const out = [...base];
    for (const item of patch) {
      if (!isMap(item) || item[key] === undefined) throw new Error(`an item of ${field} lacks its merge key ${key}`);
      const at = out.findIndex((existing) => isMap(existing) && existing[key] === item[key]);
      if (at >= 0) out[at] = strategicMerge(out[at], item, "");
      else out.push(stripNulls(item));
    }
    return out;
  }
  return patch;
}

function stripNulls(value: unknown): unknown {
  if (!isMap(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, stripNulls(v)]),
  );
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
