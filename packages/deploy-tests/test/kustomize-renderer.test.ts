// biome-ignore-all lint/suspicious/noExplicitAny: manifests are untyped YAML trees here; their shape is what the schema test checks.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { nameHash, renderKustomization, splitImage, strategicMerge } from "../src/kustomize/index.js";

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kustomize-"));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

const K = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: { app: x }
  template:
    metadata:
      labels: { app: x }
    spec:
      containers:
        - name: main
          image: example/app:1.0
          envFrom:
            - configMapRef: { name: settings }
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef: { name: creds, key: TOKEN }
        - name: side
          image: busybox
      volumes:
        - name: conf
          configMap: { name: settings }
`;

describe("kustomize's name hash", () => {
  // Vectors from kustomize's own tests (api/hasher/hasher_test.go).
  it("matches kustomize for ConfigMaps and Secrets", () => {
    const cm = (data?: Record<string, string>) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "" },
      data,
    });
    expect(nameHash(cm())).toBe("6ct58987ht");
    expect(nameHash(cm({ one: "" }))).toBe("9g67k2htb6");
    const secret = (data?: Record<string, string>) => ({
      apiVersion: "v1",
      kind: "Secret",
      type: "my-type",
      metadata: { name: "" },
      data,
    });
    expect(nameHash(secret())).toBe("5gmgkf8578");
    expect(nameHash(secret({ one: "" }))).toBe("74bd68bm66");
  });
});

describe("renderKustomization", () => {
  it("generates, merges, hashes and renames a ConfigMap and rewrites every reference to it", () => {
    const dir = tree({
      "base/kustomization.yaml": `${K}resources: [app.yaml]\nconfigMapGenerator:\n  - name: settings\n    literals: [A=1, B=2]\n`,
      "base/app.yaml": deployment,
      "overlay/kustomization.yaml": `${K}namespace: prod\nresources: [../base]\nconfigMapGenerator:\n  - name: settings\n    behavior: merge\n    literals: [B=3, C="x y"]\nsecretGenerator:\n  - name: creds\n    literals: [TOKEN=t0ps3cret]\n`,
    });
    const objects = renderKustomization(join(dir, "overlay"));
    const cm = objects.find((o) => o.kind === "ConfigMap");
    expect(cm?.data).toEqual({ A: "1", B: "3", C: "x y" });
    expect(cm?.metadata.name).toMatch(/^settings-[a-z0-9]{10}$/);
    expect(cm?.metadata.namespace).toBe("prod");
    const secret = objects.find((o) => o.kind === "Secret");
    expect(secret?.data).toEqual({ TOKEN: Buffer.from("t0ps3cret").toString("base64") });
    expect(secret?.type).toBe("Opaque");
    const spec = (objects.find((o) => o.kind === "Deployment") as any).spec.template.spec;
    expect(spec.containers[0].envFrom[0].configMapRef.name).toBe(cm?.metadata.name);
    expect(spec.containers[0].env[0].valueFrom.secretKeyRef.name).toBe(secret?.metadata.name);
    expect(spec.volumes[0].configMap.name).toBe(cm?.metadata.name);
    // The hash follows the content.
    const other = tree({
      "kustomization.yaml": `${K}configMapGenerator:\n  - name: settings\n    literals: [A=1, B=2]\n`,
    });
    expect(renderKustomization(other)[0]?.metadata.name).not.toBe(cm?.metadata.name);
  });

  it("applies JSON 6902 and strategic merge patches, labels, images and the namespace in kustomize's order", () => {
    const dir = tree({
      "kustomization.yaml": `${K}namespace: ns1
resources: [app.yaml, ns.yaml]
labels:
  - pairs: { team: fleet }
    includeTemplates: true
images:
  - name: example/app
    newName: registry.local/app
    newTag: "2.0"
patches:
  - target: { kind: Deployment, name: app }
    patch: |-
      - op: add
        path: /spec/replicas
        value: 3
  - path: resources.yaml
`,
      "app.yaml": deployment,
      "ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n",
      "resources.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: side
          resources:
            limits: { cpu: "1" }
`,
    });
    const [app, ns] = renderKustomization(dir) as [any, any];
    expect(app.spec.replicas).toBe(3);
    expect(app.spec.template.spec.containers[0].image).toBe("registry.local/app:2.0");
    expect(app.spec.template.spec.containers[1]).toEqual({
      name: "side",
      image: "busybox",
      resources: { limits: { cpu: "1" } },
    });
    expect(app.metadata.labels).toEqual({ team: "fleet" });
    expect(app.spec.template.metadata.labels).toEqual({ app: "x", team: "fleet" });
    expect(app.spec.selector.matchLabels).toEqual({ app: "x" });
    expect(app.metadata.namespace).toBe("ns1");
    expect(ns.metadata.namespace).toBeUndefined();
  });

  it("refuses what it does not implement, a patch that matches nothing, and a failing JSON patch", () => {
    const unknownField = tree({ "kustomization.yaml": `${K}replicas:\n  - name: app\n    count: 2\n` });
    expect(() => renderKustomization(unknownField)).toThrow(/replicas/);
    const noMatch = tree({
      "kustomization.yaml": `${K}resources: [app.yaml]\npatches:\n  - target: { kind: Deployment, name: other }\n    patch: "[]"\n`,
      "app.yaml": deployment,
    });
    expect(() => renderKustomization(noMatch)).toThrow(/matches no resource/);
    const badOp = tree({
      "kustomization.yaml": `${K}resources: [app.yaml]\npatches:\n  - target: { kind: Deployment }\n    patch: |-\n      - op: replace\n        path: /spec/nothing/here\n        value: 1\n`,
      "app.yaml": deployment,
    });
    expect(() => renderKustomization(badOp)).toThrow(/OPERATION_PATH_UNRESOLVABLE/);
    const twice = tree({ "kustomization.yaml": `${K}resources: [a.yaml, a.yaml]\n`, "a.yaml": deployment });
    expect(() => renderKustomization(twice)).toThrow(/defined twice/);
  });
});

describe("strategicMerge", () => {
  it("merges named lists by their merge key, replaces other lists, deletes with null", () => {
    const base = { containers: [{ name: "a", args: ["x"], env: [{ name: "K", value: "1" }] }], keep: 1, drop: 2 };
    const patch = {
      containers: [{ name: "a", args: ["y"], env: [{ name: "L", value: "2" }] }, { name: "b" }],
      drop: null,
    };
    expect(strategicMerge(base, patch)).toEqual({
      containers: [
        {
          name: "a",
          args: ["y"],
          env: [
            { name: "K", value: "1" },
            { name: "L", value: "2" },
          ],
        },
        { name: "b" },
      ],
      keep: 1,
    });
    expect(() => strategicMerge(base, { $patch: "delete" })).toThrow(/not supported/);
  });
});

describe("splitImage", () => {
  it("tells the name from the tag and the digest, registry ports included", () => {
    expect(splitImage("docker:27-dind")).toEqual({ name: "docker", tag: "27-dind", digest: undefined });
    expect(splitImage("registry:5000/team/app")).toEqual({ name: "registry:5000/team/app", digest: undefined });
    expect(splitImage("r:5000/app:1@sha256:abc")).toEqual({ name: "r:5000/app", tag: "1", digest: "sha256:abc" });
  });
});
