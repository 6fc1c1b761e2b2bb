# tsinit: a container PID-1 init supervisor that reads supervisord.conf.
#
#   docker build -t tsinit .
#
# Use it two ways (see examples/README.md):
#   1. as a base image:   FROM tsinit
#                         COPY myapp.conf /etc/supervisor/conf.d/
#   2. as a file source:  FROM node:24-bookworm-slim
#                         COPY --from=tsinit /usr/local/lib/tsinit /usr/local/lib/tsinit
#                         RUN ln -s /usr/local/lib/tsinit/tsinit /usr/local/bin/tsinit
#                         ENTRYPOINT ["tsinit", "-c", "/etc/supervisord.conf"]

# ---------------------------------------------------------------- build: bundle + native addon
FROM node:24-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; we build explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/embed-body.mjs scripts/
COPY native/ native/
COPY src/ src/
RUN npm run build \
 && node dist/tsinit.js --version \
 && mkdir -p /out/usr/local/lib/tsinit /out/usr/local/bin /out/etc/supervisor/conf.d \
 && cp dist/tsinit.js dist/reaper.node /out/usr/local/lib/tsinit/
COPY examples/image/tsinit.sh /out/usr/local/lib/tsinit/tsinit
COPY examples/image/code-cache-warm-up.conf /out/usr/local/lib/tsinit/
COPY examples/image/supervisord.conf /out/etc/supervisord.conf
RUN chmod 0755 /out/usr/local/lib/tsinit/tsinit /out/usr/local/lib/tsinit/tsinit.js \
 && chmod 0644 /out/usr/local/lib/tsinit/reaper.node /out/usr/local/lib/tsinit/code-cache-warm-up.conf /out/etc/supervisord.conf \
 && ln -s /usr/local/lib/tsinit/tsinit /out/usr/local/bin/tsinit

# ---------------------------------------------------------------- runtime: Node + the bundle, addon, launcher
FROM node:24-bookworm-slim
COPY --from=build /out/ /
# The V8 code cache of a start (launch -7 ms, BENCHMARKS.md §1): a warm-up run through the launcher (same Node
# binary and V8 flags as at run time) starts one program, writes the cache after that first spawn and exits 0.
# Only read at run time: a read-only root filesystem is fine. Copying tsinit onto another Node image? Re-run
# this line there (a cache from another Node version is not used, see examples/README.md).
RUN TSINIT_CODE_CACHE_WRITE=/usr/local/lib/tsinit/code-cache tsinit -c /usr/local/lib/tsinit/code-cache-warm-up.conf \
 && chmod 0644 /usr/local/lib/tsinit/code-cache
# Programs' output goes to the container's stdout/stderr; tsinit's own log too (see /etc/supervisord.conf).
# tsinit treats SIGTERM as supervisord does: stop every program (stopsignal, stopwaitsecs), then exit 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["tsinit", "health"]
ENTRYPOINT ["tsinit", "-c", "/etc/supervisord.conf"]
