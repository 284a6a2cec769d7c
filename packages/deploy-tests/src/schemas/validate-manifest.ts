import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { K8sObject } from "../kustomize/resource.js";
import { scaledObjectSchema, triggerAuthenticationSchema } from "./keda.js";

const ajv = new Ajv({ allErrors: true, strict: true });
const custom: Record<string, ValidateFunction> = {
  "keda.sh/v1alpha1/ScaledObject": ajv.compile(scaledObjectSchema),
  "keda.sh/v1alpha1/TriggerAuthentication": ajv.compile(triggerAuthenticationSchema),
};

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Problems of one object against the schema of its kind: Kubernetes' own kinds through the
 * `kubernetes-models` package (validators compiled with ajv from the OpenAPI schemas of a current
 * Kubernetes release), KEDA's kinds through ./keda.ts. An unknown kind is a problem too.
 */
export async function validateManifest(object: K8sObject): Promise<string[]> {
  const key = `${object.apiVersion}/${object.kind}`;
  const validate = custom[key];
  if (validate) {
    return validate(object)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || "/"} ${e.message}`);
  }
  let Model: ModelClass | undefined;
  try {
    const specifier = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    const module = (await import(/* @vite-ignore */ specifier)) as Record<string, ModelClass>;
    Model = module[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return [`no schema for ${key}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
