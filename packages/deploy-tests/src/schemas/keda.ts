/**
 * JSON schemas of KEDA's custom resources (keda.sh/v1alpha1), written from the
 * `openAPIV3Schema` of KEDA's published CRDs (config/crd/bases/keda.sh_scaledobjects.yaml and
 * keda.sh_triggerauthentications.yaml). Unknown fields are refused (`additionalProperties:
 * false`), as `kubectl apply` does with its default strict field validation.
 * TriggerAuthentication sources fixfleet does not use are checked as objects only.
 */
const int32 = { type: "integer", minimum: -2147483648, maximum: 2147483647 } as const;
const nonNegative = { ...int32, minimum: 0 } as const;

const metadata = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" },
    namespace: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
  additionalProperties: false,
} as const;

const hpaScalingRules = {
  type: "object",
  additionalProperties: false,
  properties: {
    policies: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["periodSeconds", "type", "value"],
        properties: { periodSeconds: int32, type: { type: "string" }, value: int32 },
      },
    },
    selectPolicy: { type: "string" },
    stabilizationWindowSeconds: int32,
    tolerance: { anyOf: [{ type: "integer" }, { type: "string" }] },
  },
} as const;

export const scaledObjectSchema = {
  $id: "keda.sh/v1alpha1/ScaledObject",
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "keda.sh/v1alpha1" },
    kind: { const: "ScaledObject" },
    metadata,
    spec: {
      type: "object",
      required: ["scaleTargetRef", "triggers"],
      additionalProperties: false,
      properties: {
        advanced: {
          type: "object",
          additionalProperties: false,
          properties: {
            horizontalPodAutoscalerConfig: {
              type: "object",
              additionalProperties: false,
              properties: {
                behavior: {
                  type: "object",
                  additionalProperties: false,
                  properties: { scaleDown: hpaScalingRules, scaleUp: hpaScalingRules },
                },
                name: { type: "string" },
              },
            },
            restoreToOriginalReplicaCount: { type: "boolean" },
            scalingModifiers: {
              type: "object",
              additionalProperties: false,
              properties: {
                activationTarget: { type: "string" },
                formula: { type: "string" },
                metricType: { enum: ["AverageValue", "Value"] },
                target: { type: "string" },
              },
            },
          },
        },
        cooldownPeriod: nonNegative,
        fallback: {
          type: "object",
          additionalProperties: false,
          required: ["failureThreshold", "replicas"],
          properties: {
            behavior: {
              enum: [
                "static",
                "currentReplicas",
                "currentReplicasIfHigher",
                "currentReplicasIfLower",
                "scalingModifiers",
              ],
            },
            failureThreshold: nonNegative,
            replicas: nonNegative,
          },
        },
        idleReplicaCount: nonNegative,
        initialCooldownPeriod: nonNegative,
        maxReplicaCount: { ...int32, minimum: 1 },
        minReplicaCount: nonNegative,
        pollingInterval: { ...int32, minimum: 1 },
        scaleTargetRef: {
          type: "object",
          additionalProperties: false,
          required: ["name"],
          properties: {
            apiVersion: { type: "string" },
            envSourceContainerName: { type: "string" },
            kind: { type: "string" },
            name: { type: "string", minLength: 1 },
          },
        },
        triggers: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["metadata", "type"],
            properties: {
              authenticationRef: {
                type: "object",
                additionalProperties: false,
                required: ["name"],
                properties: {
                  kind: { enum: ["TriggerAuthentication", "ClusterTriggerAuthentication"] },
                  name: { type: "string" },
                },
              },
              metadata: { type: "object", additionalProperties: { type: "string" } },
              metricType: { type: "string" },
              name: { type: "string" },
              type: { type: "string", minLength: 1 },
              useCachedMetrics: { type: "boolean" },
            },
          },
        },
      },
    },
  },
} as const;

const secretTargetRef = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["key", "name", "parameter"],
    properties: { key: { type: "string" }, name: { type: "string" }, parameter: { type: "string" } },
  },
} as const;

export const triggerAuthenticationSchema = {
  $id: "keda.sh/v1alpha1/TriggerAuthentication",
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "keda.sh/v1alpha1" },
    kind: { const: "TriggerAuthentication" },
    metadata,
    spec: {
      type: "object",
      additionalProperties: false,
      properties: {
        awsSecretManager: { type: "object" },
        azureKeyVault: { type: "object" },
        boundServiceAccountToken: { type: "array", items: { type: "object" } },
        configMapTargetRef: secretTargetRef,
        env: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name", "parameter"],
            properties: { containerName: { type: "string" }, name: { type: "string" }, parameter: { type: "string" } },
          },
        },
        filePath: { type: "string" },
        gcpSecretManager: { type: "object" },
        hashiCorpVault: { type: "object" },
        oauth2: { type: "object" },
        podIdentity: { type: "object" },
        secretTargetRef,
      },
    },
  },
} as const;
