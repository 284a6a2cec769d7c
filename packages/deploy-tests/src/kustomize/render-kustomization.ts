import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import jsonPatch from "fast-json-patch";
import { parseAllDocuments } from "yaml";
import { type Generator, type Kustomization, kustomizationSchema, type PatchTarget } from "./kustomization-schema.js";
import { nameHash } from "./name-hash.js";
import { groupOf, idOf, isClusterScoped, type K8sObject, type Resource } from "./resource.js";
import { strategicMerge } from "./strategic-merge.js";

/**
 * `kustomize build <dir>` for the features fixfleet's manifests use: resources (files and
 * nested kustomizations), configMapGenerator/secretGenerator (create, merge, replace; content
 * hash suffixes with references rewritten), patches (JSON 6902 and strategic merge, by target
 * or by the patch's own kind and name), namespace, labels, commonAnnotations and images, in
 * kustomize's order. Unsupported fields are refused by the schema instead of ignored.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const resources = build(resolve(dir));
  return finalizeNames(resources);
}

function build(dir: string): Resource[] {
  const kustomization = loadKustomization(dir);
  const resources: Resource[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${dir}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) resources.push(...build(path));
    else resources.push(...readObjects(path).map((object) => ({ object })));
  }
  assertUnique(resources, dir);
  for (const generator of kustomization.configMapGenerator ?? []) {
    applyGenerator(resources, "ConfigMap", generator, kustomization, dir);
  }
  for (const generator of kustomization.secretGenerator ?? []) {
    applyGenerator(resources, "Secret", generator, kustomization, dir);
  }
  for (const patch of kustomization.patches ?? []) applyPatch(resources, patch, dir);
  if (kustomization.namespace) {
    for (const { object } of resources) {
      if (!isClusterScoped(object.kind)) object.metadata.namespace = kustomization.namespace;
    }
  }
  for (const label of kustomization.labels ?? []) applyLabels(resources, label);
  if (kustomization.commonAnnotations) applyAnnotations(resources, kustomization.commonAnnotations);
  for (const image of kustomization.images ?? []) applyImage(resources, image);
  assertUnique(resources, dir);
  return resources;
}

function loadKustomization(dir: string): Kustomization {
  const file = ["kustomization.yaml", "kustomization.yml", "Kustomization"].map((f) => join(dir, f)).find(existsSync);
  if (!file) throw new Error(`${dir} has no kustomization.yaml`);
  const parsed = kustomizationSchema.safeParse(parseYaml(readFileSync(file, "utf8"), file));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new Error(`${file}:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

export function readObjects(path: string): K8sObject[] {
  const docs = parseAllDocuments(readFileSync(path, "utf8"));
  const objects: K8sObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || !value.apiVersion || !value.kind || !value.metadata?.name) {
      throw new Error(`${path}: every document needs apiVersion, kind and metadata.name`);
    }
    objects.push(value as K8sObject);
  }
  return objects;
}

function parseYaml(text: string, where: string): unknown {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1) throw new Error(`${where}: expected one YAML document, found ${docs.length}`);
  const [doc] = docs;
  if (doc?.errors.length) throw new Error(`${where}: ${doc.errors[0]?.message}`);
  return doc?.toJS();
}

function assertUnique(resources: Resource[], dir: string): void {
  const seen = new Set<string>();
  for (const { object } of resources) {
    const id = idOf(object);
    if (seen.has(id)) throw new Error(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
}

function applyGenerator(
  resources: Resource[],
  kind: "ConfigMap" | "Secret",
  generator: Generator,
  kustomization: Kustomization,
  dir: string,
): void {
  const data = generatorData(generator, dir);
  const options = { ...kustomization.generatorOptions, ...generator.options };
  const behavior = generator.behavior ?? "create";
  const namespace = generator.namespace;
  const existing = resources.find(
    (r) =>
      r.object.kind === kind && r.object.metadata.name === generator.name && r.object.metadata.namespace === namespace,
  );
  const encode = (values: Record<string, string>) =>
    kind === "Secret"
      ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString("base64")]))
      : values;
  if (behavior === "create") {
    if (existing) throw new Error(`${dir}: ${kind} ${generator.name} exists already; use behavior merge or replace`);
    const object: K8sObject = {
      apiVersion: "v1",
      kind,
      metadata: { name: generator.name, ...(namespace ? { namespace } : {}) },
      ...(kind === "Secret" ? { type: generator.type ?? "Opaque" } : {}),
      data: encode(data),
    };
    if (options.labels) object.metadata.labels = { ...options.labels };
    if (options.annotations) object.metadata.annotations = { ...options.annotations };
    resources.push({ object, hashSuffix: !options.disableNameSuffixHash });
    return;
  }
  if (!existing) throw new Error(`${dir}: ${kind} ${generator.name} to ${behavior} is not in the resources`);
  const before = (existing.object.data ?? {}) as Record<string, string>;
  existing.object.data = behavior === "merge" ? { ...before, ...encode(data) } : encode(data);
  if (generator.options?.disableNameSuffixHash !== undefined) {
    existing.hashSuffix = !generator.options.disableNameSuffixHash;
  }
}

/** key=value pairs from `literals`, `envs` files and `files` ([key=]path), as kustomize reads them. */
function generatorData(generator: Generator, dir: string): Record<string, string> {
  const data: Record<string, string> = {};
  const put = (key: string, value: string, source: string) => {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new Error(`${source}: ${JSON.stringify(key)} is not a valid key`);
    if (key in data) throw new Error(`${source}: key ${key} is given twice`);
    data[key] = value;
  };
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf("=");
    if (at <= 0) throw new Error(`${generator.name}: literal ${JSON.stringify(literal)} is not key=value`);
    put(literal.slice(0, at), unquote(literal.slice(at + 1)), generator.name);
  }
  for (const env of generator.envs ?? []) {
    for (const line of readFileSync(resolve(dir, env), "utf8").split(/\r?\n/)) {
      const text = line.trim();
      if (!text || text.startsWith("#")) continue;
      const at = text.indexOf("=");
      if (at <= 0) throw new Error(`${env}: line ${JSON.stringify(text)} is not key=value`);
      put(text.slice(0, at), text.slice(at + 1), env);
    }
  }
  for (const file of generator.files ?? []) {
    const at = file.indexOf("=");
    const [key, path] = at > 0 ? [file.slice(0, at), file.slice(at + 1)] : [file.split("/").pop() as string, file];
    put(key, readFileSync(resolve(dir, path), "utf8"), file);
  }
  return data;
}

function unquote(value: string): string {
  const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
  return quoted ? (quoted[1] as string) : value;
}

function applyPatch(
  resources: Resource[],
  patch: { path?: string; patch?: string; target?: PatchTarget },
  dir: string,
) {
  const where = patch.path ? join(dir, patch.path) : `${dir} (inline patch)`;
  const text = patch.path ? readFileSync(resolve(dir, patch.path), "utf8") : (patch.patch as string);
  const content = parseYaml(text, where);
  let target = patch.target;
  if (!Array.isArray(content) && !target) {
    const own = content as Partial<K8sObject>;
    if (!own?.kind || !own.metadata?.name)
      throw new Error(`${where}: a patch without a target names its kind and name`);
    target = { kind: own.kind, name: own.metadata.name };
  }
  if (!target) throw new Error(`${where}: a JSON 6902 patch needs a target`);
  const matches = resources.filter((r) => matchesTarget(r.object, target));
  if (matches.length === 0) throw new Error(`${where}: the target ${JSON.stringify(target)} matches no resource`);
  for (const resource of matches) {
    if (Array.isArray(content)) {
      const errors = jsonPatch.validate(content as jsonPatch.Operation[], resource.object);
      if (errors) throw new Error(`${where}: ${errors.message} (${errors.name}) on ${idOf(resource.object)}`);
      resource.object = jsonPatch.applyPatch(resource.object, content as jsonPatch.Operation[], false, false)
        .newDocument as K8sObject;
    } else {
      const { apiVersion: _a, kind: _k, ...rest } = content as Record<string, unknown>;
      resource.object = strategicMerge(resource.object, rest) as K8sObject;
    }
  }
}

/** kustomize matches a target's name and namespace as anchored regular expressions. */
function matchesTarget(object: K8sObject, target: PatchTarget): boolean {
  const anchored = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);
  if (target.kind && !anchored(target.kind, object.kind)) return false;
  if (target.name && !anchored(target.name, object.metadata.name)) return false;
  if (target.namespace && !anchored(target.namespace, object.metadata.namespace ?? "")) return false;
  if (target.group !== undefined && target.group !== groupOf(object.apiVersion)) return false;
  if (target.version && !object.apiVersion.endsWith(target.version)) return false;
  return true;
}

/** Pod templates of the workload kinds kustomize's label and image transformers know. */
function podTemplates(
  object: K8sObject,
): Array<{ metadata?: Record<string, unknown>; spec?: Record<string, unknown> }> {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return [];
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(object.kind)) {
    return spec.template ? [spec.template as Record<string, unknown>] : [];
  }
  if (object.kind === "CronJob") {
    const job = (spec.jobTemplate as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec;
    return job?.template ? [job.template] : [];
  }
  return [];
}

function podSpecs(object: K8sObject): Array<Record<string, unknown>> {
  if (object.kind === "Pod") return object.spec ? [object.spec as Record<string, unknown>] : [];
  return podTemplates(object)
    .map((t) => t.spec)
    .filter((s): s is Record<string, unknown> => !!s);
}

function applyLabels(
  resources: Resource[],
  label: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean },
): void {
  for (const { object } of resources) {
    object.metadata.labels = { ...object.metadata.labels, ...label.pairs };
    if (label.includeTemplates || label.includeSelectors) {
      for (const template of podTemplates(object)) {
        template.metadata = template.metadata ?? {};
        template.metadata.labels = { ...(template.metadata.labels as object | undefined), ...label.pairs };
      }
    }
    if (label.includeSelectors) {
      const spec = object.spec as Record<string, unknown> | undefined;
      if (object.kind === "Service" && spec)
        spec.selector = { ...(spec.selector as object | undefined), ...label.pairs };
      const selector = spec?.selector as { matchLabels?: Record<string, string> } | undefined;
      if (object.kind !== "Service" && selector) selector.matchLabels = { ...selector.matchLabels, ...label.pairs };
    }
  }
}

function applyAnnotations(resources: Resource[], annotations: Record<string, string>): void {
  for (const { object } of resources) {
    object.metadata.annotations = { ...(object.metadata.annotations as object | undefined), ...annotations };
    for (const template of podTemplates(object)) {
      template.metadata = template.metadata ?? {};
      template.metadata.annotations = { ...(template.metadata.annotations as object | undefined), ...annotations };
    }
  }
}

export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split("@", 2) as [string, string | undefined];
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  if (colon > slash) return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  return { name: withoutDigest, digest };
}

function applyImage(resources: Resource[], rule: { name: string; newName?: string; newTag?: string; digest?: string }) {
  for (const { object } of resources) {
    for (const spec of podSpecs(object)) {
      for (const list of ["containers", "initContainers"] as const) {
        for (const container of (spec[list] as Array<{ image?: string }> | undefined) ?? []) {
          if (!container.image) continue;
          const image = splitImage(container.image);
          if (image.name !== rule.name) continue;
          const name = rule.newName ?? image.name;
          if (rule.digest) container.image = `${name}@${rule.digest}`;
          else if (rule.newTag) container.image = `${name}:${rule.newTag}`;
          else container.image = `${name}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
        }
      }
    }
  }
}

/** Content-hash suffixes on generated objects, and every reference to them in pod specs. */
function finalizeNames(resources: Resource[]): K8sObject[] {
  const renamed = new Map<string, string>();
  for (const resource of resources) {
    if (!resource.hashSuffix) continue;
    const { object } = resource;
    const newName = `${object.metadata.name}-${nameHash(object)}`;
    renamed.set(`${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`, newName);
    object.metadata.name = newName;
  }
  for (const { object } of resources) {
    const ns = object.metadata.namespace ?? "";
    const rename = (kind: string, name: unknown) =>
      typeof name === "string" ? (renamed.get(`${kind}/${ns}/${name}`) ?? name) : name;
    for (const spec of podSpecs(object)) {
      for (const list of ["containers", "initContainers"] as const) {
        for (const container of (spec[list] as Array<Record<string, unknown>> | undefined) ?? []) {
          for (const from of (container.envFrom as Array<Record<string, { name?: string }>> | undefined) ?? []) {
            if (from.configMapRef) from.configMapRef.name = rename("ConfigMap", from.configMapRef.name) as string;
            if (from.secretRef) from.secretRef.name = rename("Secret", from.secretRef.name) as string;
          }
          for (const env of (container.env as Array<{ valueFrom?: Record<string, { name?: string }> }> | undefined) ??
            []) {
            const ref = env.valueFrom;
            if (ref?.configMapKeyRef)
              ref.configMapKeyRef.name = rename("ConfigMap", ref.configMapKeyRef.name) as string;
            if (ref?.secretKeyRef) ref.secretKeyRef.name = rename("Secret", ref.secretKeyRef.name) as string;
          }
        }
      }
      for (const volume of (spec.volumes as Array<Record<string, Record<string, unknown>>> | undefined) ?? []) {
        if (volume.configMap) volume.configMap.name = rename("ConfigMap", volume.configMap.name);
        if (volume.secret) volume.secret.secretName = rename("Secret", volume.secret.secretName);
        const sources = (volume.projected?.sources as Array<Record<string, { name?: string }>> | undefined) ?? [];
        for (const source of sources) {
          if (source.configMap) source.configMap.name = rename("ConfigMap", source.configMap.name) as string;
          if (source.secret) source.secret.name = rename("Secret", source.secret.name) as string;
        }
      }
      for (const pullSecret of (spec.imagePullSecrets as Array<{ name?: string }> | undefined) ?? []) {
        pullSecret.name = rename("Secret", pullSecret.name) as string;
      }
    }
  }
  return resources.map((r) => r.object);
}
