// biome-ignore-all lint/suspicious/noExplicitAny: manifests are untyped YAML trees here; their shape is what the schema test checks.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_KEY_PREFIX, QUEUE_NAMES } from "@fixfleet/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type K8sObject, readObjects, renderKustomization } from "../src/kustomize/index.js";
import { validateManifest } from "../src/schemas/validate-manifest.js";

const K8S = resolve(import.meta.dirname, "../../../infra/k8s");
const BASE = join(K8S, "base");
const OVERLAY = join(K8S, "overlays/example");

let base: K8sObject[];
let overlay: K8sObject[];
beforeAll(() => {
  base = renderKustomization(BASE);
  overlay = renderKustomization(OVERLAY);
});

function find(objects: K8sObject[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is not in the build`);
  return found;
}

/** Files that kustomizations list as patches hold partial objects, not manifests. */
function patchFiles(dir: string): Set<string> {
  const k = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { patches?: Array<{ path?: string }> };
  return new Set((k.patches ?? []).flatMap((p) => (p.path ? [join(dir, p.path)] : [])));
}

describe("Kubernetes manifests", () => {
  it("every file and every object of both builds validates against its schema", async () => {
    const files = [BASE, OVERLAY].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
        .map((f) => join(dir, f))
        .filter((f) => !patchFiles(dir).has(f) && !f.endsWith("sysbox-runtime.yaml")),
    );
    const objects = [...files.flatMap((f) => readObjects(f)), ...base, ...overlay];
    expect(objects.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const object of objects) {
      for (const problem of await validateManifest(object)) {
        problems.push(`${object.kind}/${object.metadata.name}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the validators reject what the API server would", async () => {
    const deployment = structuredClone(find(base, "Deployment", "fixfleet-worker"));
    deployment.spec.replicas = "two";
    delete deployment.spec.template.spec.containers[0].name;
    expect((await validateManifest(deployment)).join("\n")).toMatch(/replicas.*integer|name/);
    const scaled = structuredClone(find(base, "ScaledObject", "fixfleet-worker"));
    scaled.spec.triggers[0].metadata.listLength = 2;
    scaled.spec.maxReplicas = 3;
    const problems = await validateManifest(scaled);
    expect(problems).toContain("/spec/triggers/0/metadata/listLength must be string");
    expect(problems).toContain("/spec must NOT have additional properties");
    expect(await validateManifest({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "x" } })).toEqual([
      "no schema for example.com/v1/Thing",
    ]);
  });

  it("the example overlay builds the whole fleet into one namespace with its images and settings", () => {
    const kinds = overlay.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        "Namespace/fixfleet",
        "Deployment/fixfleet-ingest",
        "Deployment/fixfleet-worker",
        "Service/fixfleet-ingest",
        "Ingress/fixfleet-ingest",
        "HorizontalPodAutoscaler/fixfleet-ingest",
        "PodDisruptionBudget/fixfleet-ingest",
        "PodDisruptionBudget/fixfleet-worker",
        "ScaledObject/fixfleet-worker",
        "TriggerAuthentication/fixfleet-redis",
        "NetworkPolicy/fixfleet-worker",
        "Secret/fixfleet-secrets",
      ]),
    );
    for (const object of overlay) {
      if (object.kind !== "Namespace") expect(object.metadata.namespace, `${object.kind}`).toBe("fixfleet");
    }
    const config = overlay.find((o) => o.kind === "ConfigMap") as any;
    expect(config.metadata.name).toMatch(/^fixfleet-config-[a-z0-9]{10}$/);
    expect(config.data.SANDBOX_IMAGE).toBe("registry.example.com/fixfleet/sandbox:0.1.0");
    expect(config.data.GITHUB_API_URL).toBe("https://api.github.com");
    const worker = find(overlay, "Deployment", "fixfleet-worker").spec.template.spec;
    expect(worker.containers[0].image).toBe("registry.example.com/fixfleet/worker:0.1.0");
    expect(worker.containers[0].envFrom[0].configMapRef.name).toBe(config.metadata.name);
    expect(worker.initContainers[0].image).toBe("docker:27.3-dind");
    expect(worker.initContainers[0].resources.limits.memory).toBe("12Gi");
    expect(find(overlay, "Ingress", "fixfleet-ingest").spec.rules[0].host).toBe("fixfleet.acme.example");
    expect(find(overlay, "ScaledObject", "fixfleet-worker").spec.maxReplicaCount).toBe(10);
  });

  it("every Secret and ConfigMap key the pods and KEDA read exists", () => {
    const secret = find(overlay, "Secret", "fixfleet-secrets");
    const secretKeys = new Set(Object.keys(secret.data));
    const wanted: string[] = [];
    for (const name of ["fixfleet-ingest", "fixfleet-worker"]) {
      const spec = find(overlay, "Deployment", name).spec.template.spec;
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        for (const env of c.env ?? []) {
          const ref = env.valueFrom?.secretKeyRef;
          if (ref && !ref.optional) wanted.push(ref.key);
        }
      }
      for (const v of spec.volumes ?? []) for (const item of v.secret?.items ?? []) wanted.push(item.key);
    }
    for (const ref of find(overlay, "TriggerAuthentication", "fixfleet-redis").spec.secretTargetRef) {
      expect(ref.name).toBe("fixfleet-secrets");
      wanted.push(ref.key);
    }
    expect(wanted.filter((k) => !secretKeys.has(k))).toEqual([]);
  });

  it("selectors of Services, PDBs, policies and autoscalers match the pods they mean", () => {
    const podLabels = (name: string) => find(overlay, "Deployment", name).spec.template.metadata.labels;
    const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    for (const [kind, name, component] of [
      ["Service", "fixfleet-ingest", "ingest"],
      ["PodDisruptionBudget", "fixfleet-ingest", "ingest"],
      ["PodDisruptionBudget", "fixfleet-worker", "worker"],
      ["NetworkPolicy", "fixfleet-ingest", "ingest"],
      ["NetworkPolicy", "fixfleet-worker", "worker"],
    ] as const) {
      const object = find(overlay, kind, name);
      const selector =
        kind === "Service" ? object.spec.selector : (object.spec.selector ?? object.spec.podSelector).matchLabels;
      expect(matches(selector, podLabels(`fixfleet-${component}`)), `${kind}/${name}`).toBe(true);
      expect(matches(selector, podLabels(`fixfleet-${component === "ingest" ? "worker" : "ingest"}`))).toBe(false);
    }
    const deny = find(overlay, "NetworkPolicy", "fixfleet-default-deny");
    expect(matches(deny.spec.podSelector.matchLabels, podLabels("fixfleet-worker"))).toBe(true);
    expect(matches(deny.spec.podSelector.matchLabels, podLabels("fixfleet-ingest"))).toBe(true);
    expect(find(overlay, "HorizontalPodAutoscaler", "fixfleet-ingest").spec.scaleTargetRef.name).toBe(
      "fixfleet-ingest",
    );
    expect(find(overlay, "ScaledObject", "fixfleet-worker").spec.scaleTargetRef.name).toBe("fixfleet-worker");
    const ingress = find(overlay, "Ingress", "fixfleet-ingest");
    const paths = ingress.spec.rules[0].http.paths.map((p: any) => p.path);
    expect(paths.sort()).toEqual(["/v1/failures", "/webhooks/github"]);
    for (const p of ingress.spec.rules[0].http.paths) expect(p.backend.service.name).toBe("fixfleet-ingest");
  });

  it("KEDA scales workers on BullMQ's own keys of the fix queue", () => {
    const scaled = find(base, "ScaledObject", "fixfleet-worker");
    const lists = scaled.spec.triggers.map((t: any) => t.metadata.listName);
    const queue = `${DEFAULT_KEY_PREFIX}:${QUEUE_NAMES.fix}`;
    expect(lists).toEqual([`${queue}:wait`, `${queue}:prioritized`, `${queue}:active`]);
    for (const trigger of scaled.spec.triggers) {
      expect(trigger.type).toBe("redis");
      expect(trigger.authenticationRef.name).toBe("fixfleet-redis");
    }
    const config = base.find((o) => o.kind === "ConfigMap") as any;
    // One worker pod per WORKER_CONCURRENCY jobs.
    expect(scaled.spec.triggers[0].metadata.listLength).toBe(config.data.WORKER_CONCURRENCY);
  });

  it("probes, stop timing and isolation of the pods", () => {
    const config = base.find((o) => o.kind === "ConfigMap") as any;
    const ingest = find(base, "Deployment", "fixfleet-ingest").spec.template.spec;
    const ic = ingest.containers[0];
    expect(ic.ports[0]).toMatchObject({ name: "http", containerPort: Number(config.data.PORT) });
    expect(ic.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(ic.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(ic.lifecycle.preStop.exec.command).toEqual(["sleep", "5"]);
    // preStop plus ingest's own 10 s drain fit in the grace period.
    expect(ingest.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(5 + 10);

    const worker = find(base, "Deployment", "fixfleet-worker").spec.template.spec;
    const wc = worker.containers[0];
    expect(wc.ports[0].containerPort).toBe(Number(config.data.METRICS_PORT));
    expect(wc.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(wc.readinessProbe.httpGet.path).toBe("/healthz");
    expect(wc.lifecycle.preStop).toBeDefined();
    // The worker's own grace period (WORKER_GRACE_MS) fits, with time to hand jobs back.
    expect(worker.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(
      Number(config.data.WORKER_GRACE_MS) + 30_000,
    );
    expect(wc.env.find((e: any) => e.name === "DOCKER_HOST").value).toBe("tcp://127.0.0.1:2375");
    // The engine is a native sidecar (outlives the worker's drain); only it is privileged.
    const [dind] = worker.initContainers;
    expect(dind.restartPolicy).toBe("Always");
    expect(dind.args).toContain("--host=tcp://127.0.0.1:2375");
    expect(dind.securityContext.privileged).toBe(true);
    for (const c of [ic, wc]) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
    }
    expect(ingest.automountServiceAccountToken).toBe(false);
    expect(worker.automountServiceAccountToken).toBe(false);
  });

  it("the worker may reach only DNS, Redis, GitHub and Anthropic", () => {
    const policy = find(base, "NetworkPolicy", "fixfleet-worker");
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    const rules = policy.spec.egress.map((rule: any) => ({
      ports: rule.ports.map((p: any) => `${p.protocol}/${p.port}`).sort(),
      to: rule.to.map((t: any) => t.ipBlock?.cidr ?? JSON.stringify(t.podSelector.matchLabels)),
    }));
    expect(rules).toEqual([
      { ports: ["TCP/53", "UDP/53"], to: ['{"k8s-app":"kube-dns"}'] },
      { ports: ["TCP/6379"], to: ['{"app.kubernetes.io/name":"redis"}'] },
      {
        ports: ["TCP/443"],
        to: [
          "192.30.252.0/22",
          "185.199.108.0/22",
          "140.82.112.0/20",
          "143.55.64.0/20",
          "2a0a:a440::/29",
          "2606:50c0::/32",
        ],
      },
      { ports: ["TCP/443"], to: ["160.79.104.0/23", "2607:6bc0::/48"] },
    ]);
    for (const rule of policy.spec.egress) for (const to of rule.to) expect(to.ipBlock?.cidr).not.toBe("0.0.0.0/0");
  });
});
