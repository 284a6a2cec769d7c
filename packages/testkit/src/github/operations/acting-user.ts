import { botAccount } from "../http/serializers.js";
import { ensureAccount } from "../seed/accounts.js";
import type { Account, FakeGitHubState } from "../state.js";

/**
 * The account a test acts as: the App's own bot when named (`<slug>[bot]`), otherwise a User
 * account, created on first use as someone signing up would be.
 */
export function actingUser(state: FakeGitHubState, login: string): Account {
  const bot = botAccount(state);
  if (login.toLowerCase() === bot.login.toLowerCase()) return bot;
  return ensureAccount(state, login, "User");
}

/** A git identity for a user, with GitHub's noreply address. */
export function gitIdentityOf(account: Account, date: number) {
  return { name: account.login, email: `${account.id}+${account.login}@users.noreply.github.com`, date };
}
