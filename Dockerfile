# syntax=docker/dockerfile:1
# keypool image: the compiled binary alone on a slim Debian, running as a non-root user.
#   docker build -t keypool --build-arg KEYPOOL_COMMIT=$(git rev-parse --short=12 HEAD) .
#   docker buildx build --platform linux/amd64,linux/arm64 -t keypool .

# The builder runs on the build machine's own platform and cross-compiles for the target (bun build --compile
# can target any platform), so multi-arch images need no emulation.
FROM --platform=$BUILDPLATFORM oven/bun:1.4.4 AS build
ARG TARGETARCH
ARG KEYPOOL_COMMIT=dev
WORKDIR /src
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile
COPY . .
RUN case "${TARGETARCH:-amd64}" in \
      amd64) platform=linux-x64 ;; \
      arm64) platform=linux-arm64 ;; \
      *) echo "unsupported TARGETARCH ${TARGETARCH}" >&2; exit 1 ;; \
    esac \
 && KEYPOOL_COMMIT="$KEYPOOL_COMMIT" bun run build --target="$platform" \
 && install -m 0755 "dist/keypool-$platform" /keypool

FROM debian:bookworm-slim
# tzdata for TZ=…; ca-certificates for upstreams behind a private CA added to the system store.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin keypool \
 && install -d -m 0750 -o keypool -g keypool /app/data
COPY --from=build /keypool /usr/local/bin/keypool
WORKDIR /app
# BUN_CONFIG_MAX_HTTP_REQUESTS is set here so the binary need not exec itself again to get it.
ENV DATA_DIR=/app/data \
    PORT=3001 \
    BUN_CONFIG_MAX_HTTP_REQUESTS=16384
USER keypool
VOLUME /app/data
EXPOSE 3001
STOPSIGNAL SIGTERM
# curl is not in the image: the binary probes its own /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/usr/local/bin/keypool", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/keypool"]
