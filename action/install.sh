#!/usr/bin/env bash
# Installs a plancheck release binary for the GitHub Action (../action.yml), verified against
# the SHA-256 sums committed next to this script (action/checksums.txt): never against a sum
# downloaded beside the archive, which whoever could swap the archive could swap too.
#
#   install.sh resolve  --version V --sums FILE
#       Picks the archive for this runner (RUNNER_OS, RUNNER_ARCH) and the version (V, or the
#       newest version in FILE when V is empty) and prints, as GITHUB_OUTPUT lines:
#       version, target, archive, sha256.
#   install.sh install  --version V --sums FILE --base-url URL --cache-dir DIR --dest DIR
#       Resolves as above; downloads URL/v<version>/<archive> into the cache dir unless it is
#       there already (a restored cache), checks its SHA-256 against FILE (a cached archive
#       too), unpacks the binary into <dest>, runs `plancheck --version`, prints
#       `bin-dir=<dest>` and, with --github-path FILE (GitHub's GITHUB_PATH), appends <dest>
#       to it. Nothing is unpacked or run before the sum matches.
# Only those key=value lines go to stdout (for GITHUB_OUTPUT); progress goes to stderr.
#
# Archives: plancheck-<version>-<target>.tar.gz (Linux: static musl; macOS), .zip (Windows),
# each holding plancheck-<version>-<target>/plancheck[.exe]. Runs under bash on Linux, macOS
# and Windows (Git Bash on GitHub's Windows runners). Exit 1 with a message naming what to do
# on any failure. tests/dist/run runs it against a release served on 127.0.0.1.
set -euo pipefail

die() {
    echo "plancheck action: $*" >&2
    exit 1
}

mode="${1:-}"
shift || true
version="" sums="" base_url="" cache_dir="" dest="" github_path=""
while [ $# -gt 0 ]; do
    case "$1" in
        --version) version="${2-}"; shift 2 ;;
        --sums) sums="${2-}"; shift 2 ;;
        --base-url) base_url="${2-}"; shift 2 ;;
        --cache-dir) cache_dir="${2-}"; shift 2 ;;
        --dest) dest="${2-}"; shift 2 ;;
        --github-path) github_path="${2-}"; shift 2 ;;
        *) die "unknown argument '$1' (install.sh resolve|install --version V --sums FILE ...)" ;;
    esac
done
case "$mode" in resolve | install) ;; *) die "usage: install.sh resolve|install ..." ;; esac
[ -n "$sums" ] || die "--sums FILE is required"
[ -f "$sums" ] || die "the committed checksum file $sums is missing"

# ------------------------------------------------------------------ which archive

os="${RUNNER_OS:-}"
arch="${RUNNER_ARCH:-}"
case "$os/$arch" in
    Linux/X64) target=x86_64-unknown-linux-musl ext=tar.gz ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ext=tar.gz ;;
    macOS/X64) target=x86_64-apple-darwin ext=tar.gz ;;
    macOS/ARM64) target=aarch64-apple-darwin ext=tar.gz ;;
    Windows/X64) target=x86_64-pc-windows-msvc ext=zip ;;
    *)
        die "no plancheck release archive for runner ${os:-<RUNNER_OS unset>} ${arch:-<RUNNER_ARCH unset>}. Releases cover Linux X64/ARM64, macOS X64/ARM64 and Windows X64; on another runner install the wheel instead (pipx install plancheck) and run \`plancheck github\`."
        ;;
esac

# A version is digits and dots with an optional pre-release part: it becomes part of a path
# and a URL, so nothing else is let through.
version="${version#v}"
if [ -n "$version" ] && ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
    die "version '$version' is not a release version such as 0.1.0"
fi

# The committed sums: `<sha256>  plancheck-<version>-<target>.<ext>` lines (sha256sum's own
# format); comments and blank lines are skipped. Malformed lines are an error, not skipped.
targets='(x86_64|aarch64)-(unknown-linux-musl|apple-darwin|pc-windows-msvc)'
line_re="^[0-9a-f]{64} [ *]plancheck-[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?-$targets\\.(tar\\.gz|zip)\$"
entries="$(grep -v -E '^[[:space:]]*(#|$)' "$sums" || true)"
while IFS= read -r line; do
    [ -n "$line" ] || continue
    [[ "$line" =~ $line_re ]] \
        || die "$sums: malformed line '$line' (expected '<sha256>  plancheck-<version>-<target>.<ext>')"
done <<< "$entries"

known_versions() {
    sed -n -E "s/^[0-9a-f]{64} [ *]plancheck-(.+)-$targets\.(tar\.gz|zip)\$/\1/p" <<< "$entries" | sort -u -V
}
if [ -z "$version" ]; then
    version="$(known_versions | grep -v -- - | tail -n 1 || true)"
    [ -n "$version" ] || die "$sums lists no release yet, so there is no default version. Pin one with the \`version\` input once its checksums are committed (the release workflow opens that pull request)."
fi

archive="plancheck-$version-$target.$ext"
sha256="$(awk -v a="$archive" '{ f = $2; sub(/^\*/, "", f); if (f == a) print $1 }' <<< "$entries")"
if [ -z "$sha256" ]; then
    listed="$(known_versions | tr '\n' ' ')"
    listed="${listed% }"
    if known_versions | grep -q -x -F -- "$version"; then
        die "plancheck $version has no committed checksum for $target ($os $arch): that platform is missing from the release, so nothing is downloaded."
    fi
    die "this action has no committed checksums for plancheck $version (it knows: ${listed:-none}). Use one of those, or a newer release of the action."
fi
[ "$(wc -l <<< "$sha256")" -eq 1 ] || die "$sums lists $archive more than once"

if [ "$mode" = resolve ]; then
    printf 'version=%s\ntarget=%s\narchive=%s\nsha256=%s\n' "$version" "$target" "$archive" "$sha256"
    exit 0
fi

# ------------------------------------------------------------------ download and verify

[ -n "$base_url" ] || die "--base-url URL is required"
[ -n "$cache_dir" ] || die "--cache-dir DIR is required"
[ -n "$dest" ] || die "--dest DIR is required"
# HTTPS only, except a loopback server (the tests' stand-in for a release).
case "$base_url" in
    https://* | http://127.0.0.1:* | http://127.0.0.1/* | http://localhost:* | http://localhost/*) ;;
    *) die "--base-url must be https (got '$base_url')" ;;
esac

file_sha256() {
    if command -v sha256sum > /dev/null 2>&1; then
        sha256sum "$1" | awk '{ print $1 }'
    elif command -v shasum > /dev/null 2>&1; then
        shasum -a 256 "$1" | awk '{ print $1 }'
    else
        die "neither sha256sum nor shasum is on PATH: cannot verify the archive"
    fi
}

mkdir -p "$cache_dir"
cached="$cache_dir/$archive"
url="${base_url%/}/v$version/$archive"
if [ -f "$cached" ]; then
    echo "plancheck action: $archive from the cache" >&2
else
    command -v curl > /dev/null 2>&1 || die "curl is not on PATH: cannot download $url"
    partial="$cached.partial"
    rm -f "$partial"
    echo "plancheck action: downloading $url" >&2
    if ! status="$(curl --silent --show-error --location --retry 3 --retry-delay 2 \
        --connect-timeout 20 --max-time 300 --output "$partial" --write-out '%{http_code}' \
        "$url" 2> "$cache_dir/curl.err")"; then
        err="$(cat "$cache_dir/curl.err")"
        rm -f "$partial" "$cache_dir/curl.err"
        die "could not download $url: ${err:-curl failed}"
    fi
    rm -f "$cache_dir/curl.err"
    if [ "$status" != 200 ]; then
        rm -f "$partial"
        die "could not download $url: HTTP $status. Is plancheck $version released for $target?"
    fi
    mv "$partial" "$cached"
fi

actual="$(file_sha256 "$cached")"
if [ "$actual" != "$sha256" ]; then
    rm -f "$cached"
    die "checksum mismatch for $archive: expected $sha256 (committed in $(basename "$sums")), got $actual. The archive is not the released one; it was deleted and nothing was run."
fi
echo "plancheck action: $archive sha256 $actual matches the committed checksum" >&2

# ------------------------------------------------------------------ unpack and smoke-test

exe=plancheck
[ "$ext" = zip ] && exe=plancheck.exe
unpack="$cache_dir/unpack.$$"
rm -rf "$unpack"
mkdir -p "$unpack"
case "$ext" in
    tar.gz) tar -xzf "$cached" -C "$unpack" ;;
    zip)
        if command -v unzip > /dev/null 2>&1; then
            unzip -q "$cached" -d "$unpack"
        elif command -v 7z > /dev/null 2>&1; then
            7z x -y -o"$unpack" "$cached" > /dev/null
        else
            die "neither unzip nor 7z is on PATH: cannot unpack $archive"
        fi
        ;;
esac
inner="$unpack/plancheck-$version-$target/$exe"
[ -f "$inner" ] || die "$archive has no plancheck-$version-$target/$exe"
mkdir -p "$dest"
mv -f "$inner" "$dest/$exe"
chmod +x "$dest/$exe"
rm -rf "$unpack"

if ! reported="$("$dest/$exe" --version 2>&1)"; then
    die "the installed $dest/$exe does not run: $reported"
fi
case "$reported" in
    *" $version"*) ;;
    *) die "the installed binary reports '$reported', not plancheck $version" ;;
esac
echo "plancheck action: installed $reported" >&2

bin_dir="$dest"
if command -v cygpath > /dev/null 2>&1; then
    bin_dir="$(cygpath -w "$dest")"
fi
printf 'bin-dir=%s\n' "$bin_dir"
if [ -n "$github_path" ]; then
    printf '%s\n' "$bin_dir" >> "$github_path"
fi
