import { deliverWebhook, type WebhookEvent } from "../delivery/deliver-webhook.js";
import { issueJson, labelJson } from "../http/serializers.js";
import { type Account, type Delivery, type FakeGitHubState, type Label, type Repository, repoKey } from "../state.js";
import type { IssueItem } from "./issue-items.js";
import { pullDetailsJson } from "./pull-details.js";

/** The labels GitHub gives every new repository. */
const DEFAULT_LABELS: Array<[string, string, string]> = [
  ["bug", "d73a4a", "Something isn't working"],
  ["documentation", "0075ca", "Improvements or additions to documentation"],
  ["duplicate", "cfd3d7", "This issue or pull request already exists"],
  ["enhancement", "a2eeef", "New feature or request"],
  ["good first issue", "7057ff", "Good for newcomers"],
  ["help wanted", "008672", "Extra attention is needed"],
  ["invalid", "e4e669", "This doesn't seem right"],
  ["question", "d876e3", "Further information is requested"],
  ["wontfix", "ffffff", "This will not be worked on"],
];

export function repositoryLabels(state: FakeGitHubState, repo: Repository): Label[] {
  const key = repoKey(repo.owner.login, repo.name);
  let labels = state.labels.get(key);
  if (!labels) {
    labels = DEFAULT_LABELS.map(([name, color, description]) => ({
      id: state.nextId(),
      name,
      color,
      description,
      default: true,
    }));
    state.labels.set(key, labels);
  }
  return labels;
}

/** The repository's label of that name (case-insensitive, as GitHub matches), created when missing as adding one does. */
function labelNamed(state: FakeGitHubState, repo: Repository, name: string): Label {
  const labels = repositoryLabels(state, repo);
  let label = labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (!label) {
    label = { id: state.nextId(), name, color: "ededed", description: null, default: false };
    labels.push(label);
  }
  return label;
}

/** The `labeled`/`unlabeled` webhook of a pull request (`pull_request`) or issue (`issues`). */
async function labelEvent(
  state: FakeGitHubState,
  repo: Repository,
  target: IssueItem,
  action: "labeled" | "unlabeled",
  label: Label,
  sender: Account,
): Promise<WebhookEvent> {
  const body =
    target.kind === "pull"
      ? {
          action,
          number: target.item.number,
          pull_request: await pullDetailsJson(state, repo, target.item),
          label: labelJson(state, repo, label),
        }
      : { action, issue: issueJson(state, repo, target.item), label: labelJson(state, repo, label) };
  return { event: target.kind === "pull" ? "pull_request" : "issues", repo, sender, body };
}

/**
 * Adds labels to a pull request or issue, with one `labeled` webhook per label it did not carry
 * yet. Resolves once the item is labelled (webhooks queued); `delivered` once they were answered.
 */
export async function addLabels(
  state: FakeGitHubState,
  repo: Repository,
  target: IssueItem,
  names: string[],
  sender: Account,
): Promise<{ delivered: Promise<Array<Delivery | undefined>> }> {
  const deliveries: Array<Promise<Delivery | undefined>> = [];
  for (const name of names) {
    const label = labelNamed(state, repo, name);
    if (target.item.labels.some((l) => l.id === label.id)) continue;
    target.item.labels.push(label);
    target.item.updatedAt = state.now();
    if (state.webhook)
      deliveries.push(deliverWebhook(state, await labelEvent(state, repo, target, "labeled", label, sender)));
  }
  return { delivered: Promise.all(deliveries) };
}

/** Removes a label, with an `unlabeled` webhook; `removed` is false when the item did not carry it. */
export async function removeLabel(
  state: FakeGitHubState,
  repo: Repository,
  target: IssueItem,
  name: string,
  sender: Account,
): Promise<{ removed: boolean; delivered: Promise<Delivery | undefined> }> {
  const index = target.item.labels.findIndex((l) => l.name.toLowerCase() === name.toLowerCase());
  if (index === -1) return { removed: false, delivered: Promise.resolve(undefined) };
  const [label] = target.item.labels.splice(index, 1);
  target.item.updatedAt = state.now();
  const delivered = state.webhook
    ? deliverWebhook(state, await labelEvent(state, repo, target, "unlabeled", label!, sender))
    : Promise.resolve(undefined);
  return { removed: true, delivered };
}
