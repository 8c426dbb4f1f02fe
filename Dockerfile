# The container image ghcr.io/plancheck/plancheck: the release's static musl binary and CA
# certificates, nothing else. Nothing is compiled here: the release workflow
# (.github/workflows/release.yml, job `image`) builds it for linux/amd64 and linux/arm64 FROM
# the archives it has just built and attested, with a build context holding only
#   linux-amd64/plancheck    from plancheck-<version>-x86_64-unknown-linux-musl.tar.gz
#   linux-arm64/plancheck    from plancheck-<version>-aarch64-unknown-linux-musl.tar.gz
# To build it yourself from a release:
#   mkdir -p ctx/linux-amd64 && tar -xzf plancheck-<version>-x86_64-unknown-linux-musl.tar.gz \
#     --strip-components=1 -C ctx/linux-amd64 && docker build -f Dockerfile ctx
#
#   docker run --rm -v "$PWD:/work" -w /work ghcr.io/plancheck/plancheck:<version> check
#
# The GitHub Action does not use this image (action.yml downloads the binary: seconds, on
# Linux, macOS and Windows runners).

# CA certificates only: the GitHub API client (octocrab over hyper-rustls) loads the system's
# roots from /etc/ssl/certs. Fetched on the build machine's own platform, so a multi-platform
# build needs no emulation. Pinned by exact tag; append `@sha256:...` when releasing
# (`docker buildx imagetools inspect debian:bookworm-slim`) and let Dependabot keep it current.
FROM --platform=$BUILDPLATFORM debian:bookworm-slim AS certs
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*

FROM scratch
ARG TARGETOS
ARG TARGETARCH
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# The static binary: no libc, no shell, no package manager in the image.
COPY --chmod=0755 ${TARGETOS}-${TARGETARCH}/plancheck /usr/local/bin/plancheck
ENV PATH=/usr/local/bin
# Not root. uid 1001 is the runner user's on GitHub-hosted runners, so a mounted checkout is
# owned by the process (libgit2, like git, refuses a repository owned by another user).
USER 1001:1001
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/plancheck"]
