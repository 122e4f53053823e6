# syntax=docker/dockerfile:1
# One image for the five apps; the ECS task definition picks the app by command
# (`node -r @swc-node/register apps/<app>/src/main.ts`). Built by `cdk deploy` (DockerImageAsset,
# linux/amd64) or by CI and pushed with an immutable tag. Details: docs/infra.md ("Image").
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only. TypeScript still runs through @swc-node/register: it and @swc/core
# are runtime dependencies and `typescript` stays as their peer, so `--omit=dev` keeps all three
# (checked: every app boots from the `npm ls --omit=dev` tree). Install scripts stay off: the
# native binaries (@swc/core, oxc-resolver, duckdb) come as prebuilt optional packages.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The runtime: sources as committed (no build step), read-only for the app user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
USER node
EXPOSE 4000 4001 4002 4003 4004
# The default app; every ECS service overrides the command with its own entry file.
CMD ["node", "-r", "@swc-node/register", "apps/gateway/src/main.ts"]
