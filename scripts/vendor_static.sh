#!/usr/bin/env bash
# Re-create registry/static/vendor/ from the npm registry at pinned versions.
#
# Usage: scripts/vendor_static.sh [DEST]
#   DEST defaults to registry/static/vendor in this repository. The folder is
#   replaced as a whole, so it ends up holding exactly the files listed in its
#   README.md. Needs: bash, npm (with node), tar, sed.
#
# Each tarball is fetched with `npm pack` (the registry configured for npm is
# used) and its sha512 is checked against the pinned integrity, the same value
# `npm view <pkg>@<version> dist.integrity` prints. To upgrade a package, change
# its version and integrity below, re-run, and update the README text here.
set -euo pipefail
umask 022

# name version integrity
PINS=(
  "bootstrap 5.3.8 sha512-HP1SZDqaLDPwsNiqRqi5NcP0SSXciX2s9E+RyqJIIqGo+vJeN5AJVM98CXmW/Wux0nQ5L7jeWUdplCEf0Ee+tg=="
  "htmx.org 2.0.11 sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
  "chart.js 4.6.1 sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
  "vazirmatn 33.0.3 sha512-fbjNc0CMjazZpIegWzz9OHGzI1APFboT+x7ZecXlUCtDe/nkyx7gtCTZnWS/+eeXG7fbfXymCPKJI8EsnM3iqw=="
)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/registry/static/vendor}"

for tool in npm node tar sed; do
  command -v "$tool" >/dev/null || { echo "vendor_static: '$tool' is required" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sri_sha512() {
  node -e 'const c=require("crypto"),f=require("fs");
process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

# Fetch, verify and unpack every package into $work/src/<name>/package/.
for pin in "${PINS[@]}"; do
  read -r name version integrity <<<"$pin"
  echo "vendor_static: fetching $name@$version" >&2
  tgz="$(cd "$work" && npm pack --silent --ignore-scripts "$name@$version" 2>/dev/null | tail -n 1)"
  if [[ -z "$tgz" || ! -f "$work/$tgz" ]]; then
    echo "vendor_static: npm pack $name@$version failed" >&2
    exit 1
  fi
  got="$(sri_sha512 "$work/$tgz")"
  if [[ "$got" != "$integrity" ]]; then
    echo "vendor_static: integrity mismatch for $name@$version" >&2
    echo "  expected $integrity" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  mkdir -p "$work/src/$name"
  tar -xzf "$work/$tgz" -C "$work/src/$name" --no-same-owner --no-same-permissions
done

src() { printf '%s/src/%s/package/%s' "$work" "$1" "$2"; }

out="$work/out"
mkdir -p "$out/bootstrap" "$out/htmx" "$out/chartjs" "$out/vazirmatn/fonts"

# Copy a file, dropping "//# sourceMappingURL=..." and "/*# sourceMappingURL=... */"
# lines: the .map files are not vendored, and whitenoise's manifest storage
# fails on references to missing files.
copy_strip() { sed -E '/^\/[*\/]# sourceMappingURL=.*$/d' "$1" >"$2"; }

# Bootstrap
copy_strip "$(src bootstrap dist/css/bootstrap.rtl.min.css)" "$out/bootstrap/bootstrap.rtl.min.css"
copy_strip "$(src bootstrap dist/css/bootstrap.min.css)" "$out/bootstrap/bootstrap.min.css"
copy_strip "$(src bootstrap dist/js/bootstrap.bundle.min.js)" "$out/bootstrap/bootstrap.bundle.min.js"
cp "$(src bootstrap LICENSE)" "$out/bootstrap/LICENSE"

# htmx (2.0.x line, as targeted by django-htmx)
copy_strip "$(src htmx.org dist/htmx.min.js)" "$out/htmx/htmx.min.js"
cp "$(src htmx.org LICENSE)" "$out/htmx/LICENSE"

# Chart.js UMD build (minified if the package ships it)
chart_umd="$(src chart.js dist/chart.umd.min.js)"
[[ -f "$chart_umd" ]] || chart_umd="$(src chart.js dist/chart.umd.js)"
copy_strip "$chart_umd" "$out/chartjs/chart.umd.min.js"
cp "$(src chart.js LICENSE.md)" "$out/chartjs/LICENSE.md"

# Vazirmatn variable font (renamed: no square brackets in URLs)
cp "$(src vazirmatn 'fonts/webfonts/Vazirmatn[wght].woff2')" "$out/vazirmatn/fonts/Vazirmatn-Variable.woff2"
cp "$(src vazirmatn OFL.txt)" "$out/vazirmatn/OFL.txt"

cat >"$out/vazirmatn/vazirmatn.css" <<'EOF'
/*
 * Vazirmatn variable font (weights 100-900), vendored from the npm package
 * vazirmatn@33.0.3. Licensed under the SIL Open Font License 1.1 (see OFL.txt).
 * Served locally: no external URLs.
 */
@font-face {
  font-family: "Vazirmatn";
  src: url("fonts/Vazirmatn-Variable.woff2") format("woff2-variations"),
       url("fonts/Vazirmatn-Variable.woff2") format("woff2");
  font-weight: 100 900;
  font-style: normal;
  font-display: swap;
}
EOF

cat >"$out/README.md" <<'EOF'
# Vendored front-end assets

Served by Django/whitenoise from this folder; pages never load anything from a CDN.
Everything here is re-created from the npm registry, at the pinned versions below, by
`scripts/vendor_static.sh` (it checks each tarball's sha512 integrity). Do not edit the
files by hand: change the pins in the script and re-run it.

| Package (npm) | Version | Files | Licence |
| --- | --- | --- | --- |
| `bootstrap` | 5.3.8 | `bootstrap/bootstrap.rtl.min.css`, `bootstrap/bootstrap.min.css`, `bootstrap/bootstrap.bundle.min.js` | MIT (`bootstrap/LICENSE`) |
| `htmx.org` | 2.0.11 | `htmx/htmx.min.js` | 0BSD (`htmx/LICENSE`) |
| `chart.js` | 4.6.1 | `chartjs/chart.umd.min.js` (UMD build) | MIT (`chartjs/LICENSE.md`) |
| `vazirmatn` | 33.0.3 | `vazirmatn/fonts/Vazirmatn-Variable.woff2`, `vazirmatn/vazirmatn.css` | SIL OFL 1.1 (`vazirmatn/OFL.txt`) |

Notes:

- The trailing `sourceMappingURL` comment lines are removed from the minified Bootstrap and
  Chart.js files, because the `.map` files are not vendored and whitenoise's manifest
  storage would fail on the missing references. The code itself is unchanged.
- htmx stays on the 2.0.x line, which is what django-htmx targets.
- `Vazirmatn-Variable.woff2` is the package's `fonts/webfonts/Vazirmatn[wght].woff2`,
  renamed to avoid square brackets in URLs. `vazirmatn.css` is written by the script
  (family `Vazirmatn`, weights 100–900, `font-display: swap`).
EOF

# Sanity checks before replacing the destination.
if grep -rl --include='*.js' --include='*.css' 'sourceMappingURL' "$out" >/dev/null; then
  echo "vendor_static: a sourceMappingURL comment is left in:" >&2
  grep -rl --include='*.js' --include='*.css' 'sourceMappingURL' "$out" >&2
  exit 1
fi
for f in bootstrap/bootstrap.rtl.min.css bootstrap/bootstrap.min.css bootstrap/bootstrap.bundle.min.js \
         bootstrap/LICENSE htmx/htmx.min.js htmx/LICENSE chartjs/chart.umd.min.js chartjs/LICENSE.md \
         vazirmatn/fonts/Vazirmatn-Variable.woff2 vazirmatn/OFL.txt vazirmatn/vazirmatn.css README.md; do
  [[ -s "$out/$f" ]] || { echo "vendor_static: missing or empty $f" >&2; exit 1; }
done

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -R "$out" "$dest"
echo "vendor_static: wrote $dest" >&2
du -sh "$dest" >&2
