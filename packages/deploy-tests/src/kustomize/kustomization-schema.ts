import { z } from "zod";

const generatorOptions = z
  .object({
    disableNameSuffixHash: z.boolean().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const generator = z
  .object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    behavior: z.enum(["create", "merge", "replace"]).optional(),
    literals: z.array(z.string()).optional(),
    envs: z.array(z.string()).optional(),
    files: z.array(z.string()).optional(),
    options: generatorOptions.optional(),
  })
  .strict();

const target = z
  .object({
    group: z.string().optional(),
    version: z.string().optional(),
    kind: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
  })
  .strict();

/**
 * The part of kustomize's Kustomization (kustomize.config.k8s.io/v1beta1) this renderer
 * implements. Anything else is refused by name, so a manifest can never depend on a feature
 * that would be silently ignored here.
 */
export const kustomizationSchema = z
  .object({
    apiVersion: z.literal("kustomize.config.k8s.io/v1beta1"),
    kind: z.literal("Kustomization"),
    namespace: z.string().min(1).optional(),
    labels: z
      .array(
        z
          .object({
            pairs: z.record(z.string(), z.string()),
            includeSelectors: z.boolean().optional(),
            includeTemplates: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
    commonAnnotations: z.record(z.string(), z.string()).optional(),
    resources: z.array(z.string()).optional(),
    configMapGenerator: z.array(generator.extend({}).strict()).optional(),
    secretGenerator: z.array(generator.extend({ type: z.string().optional() }).strict()).optional(),
    generatorOptions: generatorOptions.optional(),
    patches: z
      .array(
        z
          .object({ path: z.string().optional(), patch: z.string().optional(), target: target.optional() })
          .strict()
          .refine((p) => (p.path === undefined) !== (p.patch === undefined), "a patch has either `path` or `patch`"),
      )
      .optional(),
    images: z
      .array(
        z
          .object({
            name: z.string().min(1),
            newName: z.string().optional(),
            newTag: z.string().optional(),
            digest: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type Kustomization = z.infer<typeof kustomizationSchema>;
export type Generator = z.infer<typeof generator> & { type?: string };
export type PatchTarget = z.infer<typeof target>;
