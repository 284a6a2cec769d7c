import type Docker from "dockerode";
import { type CreateSandboxOptions, createSandbox } from "../create/create-sandbox.js";
import type { DockerSandbox } from "../create/docker-sandbox.js";

export interface WarmPoolOptions extends Omit<CreateSandboxOptions, "jobId"> {
  /** Containers kept ready (0 turns the pool off: acquire always creates). */
  size: number;
  /** A ready container older than this is replaced (default 10 minutes). */
  maxIdleMs?: number;
  onError?: (error: unknown) => void;
}

interface Ready {
  sandbox: DockerSandbox;
  createdAt: number;
}

/** Job label of a pooled container: labels are fixed at create, before the job is known. */
export const WARM_POOL_JOB = "warm-pool";

/**
 * Containers for one image, created ahead. Each is handed to one job and never back: the job
 * destroys it as usual. Pooled containers live ttlMs + maxIdleMs, so the job still gets its
 * full time to live after waiting in the pool.
 */
export class WarmPool {
  private readonly ready: Ready[] = [];
  private filling = 0;
  private closed = false;
  private readonly maxIdleMs: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly docker: Docker,
    private readonly options: WarmPoolOptions,
  ) {
    this.maxIdleMs = options.maxIdleMs ?? 10 * 60_000;
    this.timer = setInterval(() => this.retireStale(), Math.max(1000, Math.floor(this.maxIdleMs / 2)));
    this.timer.unref();
    this.refill();
  }

  get available(): number {
    return this.ready.length;
  }

  /** Resolves once the pool holds `size` ready containers (or failed trying; see onError). */
  async warm(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && this.ready.length < this.options.size && Date.now() < deadline) {
      if (this.filling === 0) this.refill();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A ready sandbox for this job, or a new one when none is ready. */
  async acquire(jobId: string): Promise<DockerSandbox> {
    while (this.ready.length > 0) {
      const item = this.ready.shift() as Ready;
      if (Date.now() - item.createdAt > this.maxIdleMs) {
        void item.sandbox.destroy().catch((e) => this.options.onError?.(e));
        continue;
      }
      item.sandbox.assignJob(jobId);
      this.refill();
      return item.sandbox;
    }
    this.refill();
    return createSandbox(this.docker, { ...this.options, jobId });
  }

  /** Destroys the containers still waiting. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const waiting = this.ready.splice(0);
    await Promise.allSettled(waiting.map((r) => r.sandbox.destroy()));
    // Containers still being made are destroyed as they arrive (see refill).
    while (this.filling > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private retireStale(): void {
    const now = Date.now();
    for (let i = this.ready.length - 1; i >= 0; i--) {
      const item = this.ready[i] as Ready;
      if (now - item.createdAt > this.maxIdleMs) {
        this.ready.splice(i, 1);
        void item.sandbox.destroy().catch((e) => this.options.onError?.(e));
      }
    }
    this.refill();
  }

  private refill(): void {
    if (this.closed) return;
    // One at a time: filling must not compete with the jobs for a small machine's CPU.
    if (this.filling > 0 || this.ready.length >= this.options.size) return;
    this.filling++;
    const { size: _size, maxIdleMs: _idle, onError: _onError, ...create } = this.options;
    let failed = false;
    createSandbox(this.docker, { ...create, jobId: WARM_POOL_JOB, ttlMs: this.options.ttlMs + this.maxIdleMs })
      .then(async (sandbox) => {
        if (this.closed) await sandbox.destroy();
        else this.ready.push({ sandbox, createdAt: Date.now() });
      })
      .catch((error) => {
        failed = true;
        this.options.onError?.(error);
      })
      .finally(() => {
        this.filling--;
        // After a failure (engine down, image missing) wait before trying again, never spin.
        if (!this.closed && this.ready.length < this.options.size) {
          setTimeout(() => this.refill(), failed ? 5000 : 0).unref();
        }
      });
  }
}
