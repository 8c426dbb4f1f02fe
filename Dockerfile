# The image of the GitHub Action (action.yml: `runs.using: docker`, `image: Dockerfile`).
# GitHub builds it on the runner in every job that uses the action (no cache between jobs on
# GitHub-hosted runners: about three minutes on 2 cores), then runs
#   docker run --workdir /github/workspace -v <checkout>:/github/workspace ... <image> github <path>
#
# Base images are pinned by exact tag, not by digest: this file was written where no container
# registry could be reached, so the digests could not be resolved. When releasing, append
# `@sha256:...` to both FROM lines (`docker buildx imagetools inspect <image>` prints it) and let
# Dependabot's `docker` ecosystem keep them current.

# The Rust toolchain the project is developed and tested with (1.95.0), on the same Debian
# release as the final stage, so the binary's glibc matches the one it runs on.
FROM rust:1.95.0-slim-bookworm AS build
WORKDIR /src
# Only what the binary is built from reaches the build context (.dockerignore).
COPY . .
# Exactly the command CI runs (tests/workflows/run checks that the two are the same string).
RUN cargo build --release --locked

FROM debian:bookworm-slim
# CA certificates: the GitHub API client (octocrab over hyper-rustls) loads the system's roots
# (rustls-native-certs), so HTTPS to api.github.com needs /etc/ssl/certs. The binary links
# only libc, libgcc_s and, when the builder has zlib's headers, libz: all in bookworm-slim.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# Not root, and uid 1001 on purpose. GitHub mounts the checkout at /github/workspace, where the
# files belong to the runner's user, uid 1001 on GitHub-hosted runners. libgit2, like git,
# refuses a repository owned by another user ("not owned by current user": the safe.directory
# check), and as root a process is "another user" too. Running as 1001 owns the workspace, and
# can write the step's files GitHub mounts under /github/file_commands (GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY) and a SARIF file into the workspace.
RUN groupadd --gid 1001 plancheck \
    && useradd --uid 1001 --gid 1001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin plancheck
COPY --from=build /src/target/release/plancheck /usr/local/bin/plancheck
USER 1001:1001
# Smoke test: the binary runs on this base (dynamic libraries present, right glibc).
RUN ["plancheck", "--version"]
ENTRYPOINT ["plancheck"]
