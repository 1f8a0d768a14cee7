# One image for every process: the default command serves API and workers; compose runs the API and
# the worker from it with their own commands (node dist/src/bin/api.js, node dist/src/bin/worker.js).
# tests/e2e/production-start.test.ts lays out the final stage's files the same way (production
# dependencies only) and starts this CMD, so keep the two in step.
ARG NODE_IMAGE=node:24-bookworm-slim

# Production dependencies only: no tsx, TypeScript, esbuild or test tools in the final image.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Compiles src/ and migrations/ to dist/ and bundles the widget (npm run build).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY migrations ./migrations
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}
# tini as PID 1 forwards docker stop's SIGTERM to the server and reaps zombies. `-s` keeps it working as
# a subreaper when compose's `init: true` (or `docker run --init`) already puts an init in front of it.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# So that `npm start` and `npm run cli -- …` work in a container too (nothing to build: no sources here).
COPY scripts/start.mjs scripts/build.mjs ./scripts/
COPY --from=build /app/dist ./dist
# Embedded mode (no DATABASE_URL) keeps its database in /app/data: writable by the server's user.
RUN mkdir /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["tini", "-s", "--"]
CMD ["node", "dist/src/bin/server.js"]
