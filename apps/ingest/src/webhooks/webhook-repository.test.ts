import { describe, expect, it } from "vitest";
import { webhookOrigin } from "./webhook-repository.js";

const repository = { id: 4242, name: "bench", full_name: "Octo-Org/bench.js", owner: { login: "Octo-Org", id: 777 } };

describe("webhookOrigin", () => {
  it("takes owner and name from full_name, and the installation and owner ids", () => {
    expect(webhookOrigin({ action: "x", repository, installation: { id: 99 }, sender: { login: "u" } })).toEqual({
      ok: true,
      origin: { repository: { id: 4242, owner: "Octo-Org", name: "bench.js" }, installationId: 99, ownerId: 777 },
    });
    expect(webhookOrigin({ repository: { ...repository, owner: { login: "Octo-Org" } } })).toEqual({
      ok: true,
      origin: {
        repository: { id: 4242, owner: "Octo-Org", name: "bench.js" },
        installationId: undefined,
        ownerId: undefined,
      },
    });
  });

  it.each(["octo-org", "octo-org/bench/x", "/bench", "octo-org/", "octo org/bench", ""])(
    "refuses the full_name %j, naming the field",
    (fullName) => {
      const origin = webhookOrigin({ repository: { ...repository, full_name: fullName } });
      expect(origin.ok).toBe(false);
      if (!origin.ok) expect(origin.problems.map((p) => p.path)).toEqual(["repository.full_name"]);
    },
  );

  it("names every bad field, and a missing repository", () => {
    const origin = webhookOrigin({ repository: { id: 0, name: "", full_name: "a/b", owner: {} }, installation: {} });
    expect(origin.ok).toBe(false);
    if (!origin.ok) {
      expect(origin.problems.map((p) => p.path).sort()).toEqual(
        ["installation.id", "repository.id", "repository.name", "repository.owner.login"].sort(),
      );
    }
    expect(webhookOrigin({})).toEqual({ ok: false, problems: [{ path: "repository", message: "is required" }] });
  });
});
