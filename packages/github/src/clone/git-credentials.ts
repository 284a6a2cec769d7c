import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Lends git a token for the commands run inside `fn`, without writing it where it could leak:
 * not in `.git/config`, not in the remote URL, not in any process's arguments or environment.
 * The token sits in a 0600 file in a private temp dir; a credential helper, configured through
 * GIT_CONFIG_* variables (which name only the file), prints it when git asks. The dir is removed
 * afterwards, whatever happens.
 */
export async function withGitCredentials<T>(
  token: string,
  fn: (env: Record<string, string>) => Promise<T>,
  username = "x-access-token",
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "fixfleet-cred-"));
  try {
    const file = join(dir, "token");
    await writeFile(file, token, { mode: 0o600 });
    const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
    const helper = `!f() { test "$1" = get || exit 0; printf 'username=%s\\npassword=' '${username}'; cat ${quoted}; printf '\\n'; }; f`;
    const env = {
      GIT_CONFIG_COUNT: "2",
      // An empty helper first clears any helper configured elsewhere (a store must not keep it).
      GIT_CONFIG_KEY_0: "credential.helper",
      GIT_CONFIG_VALUE_0: "",
      GIT_CONFIG_KEY_1: "credential.helper",
      GIT_CONFIG_VALUE_1: helper,
    };
    return await fn(env);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
