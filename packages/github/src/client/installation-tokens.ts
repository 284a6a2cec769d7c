import { classifyGitHubError } from "../errors/classify-github-error.js";

export interface InstallationToken {
  token: string;
  /** Epoch ms, on the clock the tokens were judged by. */
  expiresAt: number;
}

export type CreateInstallationToken = (installationId: number) => Promise<{ token: string; expires_at: string }>;

export interface InstallationTokensOptions {
  create: CreateInstallationToken;
  now?: () => number;
  /** A token this close to its expiry is renewed before use (a clone or a publish may take minutes). */
  renewBeforeMs?: number;
}

/**
 * Installation tokens, one cached per installation, renewed before they expire. Concurrent
 * callers share one request. Every token ever handed out is remembered (values only) so that
 * logs and texts can be redacted of them.
 */
export class InstallationTokens {
  private readonly cache = new Map<number, InstallationToken>();
  private readonly pending = new Map<number, Promise<InstallationToken>>();
  private readonly issued = new Set<string>();
  private readonly now: () => number;
  private readonly renewBeforeMs: number;

  constructor(private readonly options: InstallationTokensOptions) {
    this.now = options.now ?? Date.now;
    this.renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000;
  }

  async get(installationId: number): Promise<InstallationToken> {
    const cached = this.cache.get(installationId);
    if (cached && cached.expiresAt - this.renewBeforeMs > this.now()) return cached;
    let pending = this.pending.get(installationId);
    if (!pending) {
      pending = this.renew(installationId).finally(() => this.pending.delete(installationId));
      this.pending.set(installationId, pending);
    }
    return pending;
  }

  /** Forgets a token GitHub refused (revoked, or expired early), so the next get renews it. */
  invalidate(installationId: number, token: string): void {
    if (this.cache.get(installationId)?.token === token) this.cache.delete(installationId);
  }

  /** Every token value handed out so far, for redaction. */
  secrets(): string[] {
    return [...this.issued];
  }

  private async renew(installationId: number): Promise<InstallationToken> {
    let answer: { token: string; expires_at: string };
    try {
      answer = await this.options.create(installationId);
    } catch (error) {
      throw classifyGitHubError(error, `creating an access token for installation ${installationId}`);
    }
    const expiresAt = Date.parse(answer.expires_at);
    const token: InstallationToken = {
      token: answer.token,
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : this.now() + 50 * 60_000,
    };
    this.issued.add(token.token);
    this.cache.set(installationId, token);
    return token;
  }
}
