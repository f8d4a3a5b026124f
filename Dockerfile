# Backup Doctor — production image.
# Stage 1 builds the TypeScript with dev dependencies; stage 2 carries only the
# production dependencies and the compiled JavaScript, runs as a non-root user,
# and listens on 0.0.0.0:3000. scripts/docker-steps.sh exercises the same steps
# without Docker (test/e2e/built.test.ts runs it).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY routes ./routes
COPY diagnostics ./diagnostics
COPY bench ./bench
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    AWS_EC2_METADATA_V1_DISABLED=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# demo/world.json is read by `npm run demo` only; the service itself needs nothing else.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/server.js"]
