# fixfleet worker: runs fix jobs (context, clone, sandbox, agent, verification, publish).
# Build from the repository root:  docker build -f infra/docker/worker.Dockerfile -t fixfleet-worker .
# It needs a Docker engine for the sandboxes (DOCKER_HOST), never a shell on the host.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV TURBO_TELEMETRY_DISABLED=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY . .
RUN npm ci --workspace @fixfleet/worker --include-workspace-root \
 && npx turbo run build --filter=@fixfleet/worker... \
 && npm ci --omit=dev --workspace @fixfleet/worker \
 && node infra/docker/assemble-runtime.mjs @fixfleet/worker /out

FROM ${NODE_IMAGE}
USER root
# git clones the failing commit on the worker (the sandbox gets a copy without credentials).
RUN set -eu; \
    if ! command -v git >/dev/null 2>&1; then \
      export DEBIAN_FRONTEND=noninteractive; \
      apt-get update; \
      apt-get install -y --no-install-recommends git ca-certificates; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    git --version
ENV NODE_ENV=production METRICS_PORT=9464 HOME=/tmp
WORKDIR /app
COPY --from=build --chown=0:0 /out/ /app/
USER 1000:1000
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.METRICS_PORT || 9464}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/worker/dist/main.js"]
