# syntax=docker/dockerfile:1
# One image for every obieg process:
#   API (default)   node dist/api/main.js
#   worker          node dist/worker/main.js
#   migrations      node dist/db/cli.js migrate && node dist/db/cli.js import-reference
# docker-compose.yml shows how the three are wired together.

# Node.js 24, the active LTS (20 left support in April 2026); the code also runs on Node 20.3+.
ARG NODE_IMAGE=node:24-bookworm-slim

##### build: compile TypeScript, then drop dev dependencies #####
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Puppeteer drives Debian's Chromium in the runtime stage; never download its own browser.
ENV PUPPETEER_SKIP_DOWNLOAD=true

# Dependencies first, so source edits do not invalidate the npm ci layer.
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

##### runtime #####
FROM ${NODE_IMAGE} AS runtime
# chromium renders the PDF documents; fonts-dejavu-core gives it fonts with Polish diacritics.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# MALLOC_ARENA_MAX: glibc's malloc keeps an arena per thread (the worker's Temporal core runs many); two
# arenas cut the worker's resident memory by about 50 MB at no measured cost (issue 18, BENCHMARKS.md 5a).
ENV NODE_ENV=production \
    PUPPETEER_SKIP_DOWNLOAD=true \
    CHROMIUM_PATH=/usr/bin/chromium \
    MALLOC_ARENA_MAX=2

WORKDIR /app
# The layout mirrors the repository: lib/paths.ts walks up from dist/ to the directory holding
# package.json and finds templates/ and db/reference/ there. Everything stays owned by root, so the
# unprivileged process can read its code and templates but not rewrite them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
COPY --from=build /app/db/reference ./db/reference

# `node` (uid 1000) ships with the base image; Chromium keeps its profile under its home directory.
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
