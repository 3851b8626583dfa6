# syntax=docker/dockerfile:1

# Build stage: a static binary (pure-Go SQLite and no cgo anywhere), so the final image needs no libc.
# It runs on the build machine's platform and cross-compiles, so multi-arch builds do not emulate the compiler.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/pitchfest ./cmd/pitchfest \
 && mkdir -p /out/data

# Final stage: distroless static (CA certificates, /etc/passwd, nothing else; time zones come embedded through
# time/tzdata) running as the unprivileged "nonroot" user, uid 65532. With no shell or curl in the image, the
# health check is the binary itself: `pitchfest healthcheck` asks this process's /readyz.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pitchfest /pitchfest
# Embedded mode (no PITCHFEST_DATABASE_URL) keeps its SQLite file, blobs and secret key here; a volume mounted at
# /data starts out owned by nonroot because this directory is.
COPY --from=build --chown=65532:65532 /out/data /data
ENV PITCHFEST_DATA_DIR=/data
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/pitchfest"]
CMD ["serve"]
