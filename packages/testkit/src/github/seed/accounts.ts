import type { Account, FakeGitHubState, Installation } from "../state.js";

/** The account with this login, created on first use (GitHub logins are case-insensitive). */
export function ensureAccount(state: FakeGitHubState, login: string, type: Account["type"] = "User"): Account {
  const key = login.toLowerCase();
  let account = state.accounts.get(key);
  if (!account) {
    account = { login, id: state.nextId(), type };
    state.accounts.set(key, account);
  }
  return account;
}

/** The App's installation on an account, created with the account's first repository. */
export function ensureInstallation(state: FakeGitHubState, account: Account): Installation {
  for (const installation of state.installations.values()) {
    if (installation.account.id === account.id) return installation;
  }
  const installation = { id: state.nextId(), account, createdAt: state.now() };
  state.installations.set(installation.id, installation);
  return installation;
}
