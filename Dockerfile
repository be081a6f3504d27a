# syntax=docker/dockerfile:1
# Production image: compiled JavaScript, production dependencies only, runs as the unprivileged
# `node` user, and expects DATABASE_URL (the embedded PostgreSQL is for development and is left out).
#
# Node 24, the current LTS (Node 20 reached end of life on 2026-04-30). Pin the base by digest where
# the image is built: `docker buildx imagetools inspect node:24-bookworm-slim` prints it, then write
# `FROM node:24-bookworm-slim@sha256:…` in the three stages. It is not pinned here because no registry
# could be reached from where this file was written, and an unverified digest would be worse than none.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: nothing the build needs runs one (esbuild's is for tsx, which the build does not use).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeders ./seeders
COPY scripts ./scripts
# tsc compiles TypeScript only; the web console's stylesheet and scripts go next to the compiled module.
RUN npm run build && cp -R src/web/assets dist/src/web/

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional leaves out embedded-postgres and its ~100 MB of PostgreSQL binaries; --ignore-scripts
# runs no package's install script (and so no telemetry such as @scarf/scarf's).
ENV NPM_CONFIG_UPDATE_NOTIFIER=false SCARF_ANALYTICS=false DO_NOT_TRACK=1
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    SCARF_ANALYTICS=false \
    DO_NOT_TRACK=1 \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=production-dependencies --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A capped heap makes V8 collect instead of growing: an import keeps the process near 250 MB. Node 24
# sizes its young generation from the machine: without the semi-space cap a 1M-row upload peaked
# 115 MB higher than a 100k-row one (test/e2e/upload-memory.test.ts), with it 20 MB. Heap growth 1.5x
# (V8 picks ~1.1-1.3x under a 256 MB cap): fewer mark-compacts under bot load, a steadier p99 (README).
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=8", "--heap-growing-percent=50", "dist/src/index.js"]
