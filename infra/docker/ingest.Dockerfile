# fixfleet ingest: the HTTP front door (webhooks and CI reports in, batched fix jobs out).
# Build from the repository root:  docker build -f infra/docker/ingest.Dockerfile -t fixfleet-ingest .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV TURBO_TELEMETRY_DISABLED=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY . .
# Only this app's workspaces (and the root's build tools), then a production-only install of
# the same, assembled with the built packages into /out.
RUN npm ci --workspace @fixfleet/ingest --include-workspace-root \
 && npx turbo run build --filter=@fixfleet/ingest... \
 && npm ci --omit=dev --workspace @fixfleet/ingest \
 && node infra/docker/assemble-runtime.mjs @fixfleet/ingest /out

FROM ${NODE_IMAGE}
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=0:0 /out/ /app/
# Any non-root uid works: nothing under /app is writable, and the process writes nowhere.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/ingest/dist/main.js"]
