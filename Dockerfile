# One image for every service; the compose file picks the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.json ./
COPY tooling ./tooling
COPY packages ./packages
COPY services ./services
COPY test/fixtures/generator ./test/fixtures/generator
RUN npm ci --no-audit --no-fund && npx turbo run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data
WORKDIR /app
COPY --from=build /app /app
VOLUME ["/data"]
ENTRYPOINT ["node", "services/cli/bin/intake.js"]
CMD ["start"]
