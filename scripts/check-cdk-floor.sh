#!/usr/bin/env bash
# Checks that the library works with an old aws-cdk-lib: the oldest version the README promises.
#
#   scripts/check-cdk-floor.sh [VERSION...]     (default: the floor stated in README.md)
#
# For each VERSION, in a fresh temporary directory: installs aws-cdk-lib@VERSION and constructs@10 from the npm
# registry (the library's only runtime dependencies; cdk-nag is never imported by src/ or examples/), copies src/ and
# examples/ there, compiles them with the repository's TypeScript and tsconfig options (strict), and synthesizes
# every example with node (CDK_VALIDATION=false). Prints "VERSION OK" or "VERSION FAIL (<step>)" for each and exits
# non-zero if any failed. Not a test: it needs the npm registry and takes about a minute per version.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tsc="$repo/node_modules/.bin/tsc"
[ -x "$tsc" ] || { echo "run npm ci first (needs $tsc)" >&2; exit 2; }

if [ $# -eq 0 ]; then
  set -- "$(grep -oE 'aws-cdk-lib` ≥ [0-9]+\.[0-9]+\.[0-9]+' "$repo/README.md" | grep -oE '[0-9]+\.[0-9]+\.[0-9]+$')"
fi

export CDK_VALIDATION=false JSII_SILENCE_WARNING_DEPRECATED=1 AWS_EC2_METADATA_DISABLED=true
status=0

check() {
  local version="$1" dir log
  dir="$(mktemp -d "${TMPDIR:-/tmp}/cdk-floor-$version.XXXXXX")"
  log="$dir/check.log"
  echo "== aws-cdk-lib $version in $dir (log: $log)"

  (cd "$dir" && npm init -y >/dev/null &&
    npm install --no-audit --no-fund --ignore-scripts --save-exact \
      "aws-cdk-lib@$version" 'constructs@^10' "@types/node@^20") >>"$log" 2>&1 \
    || { echo "$version FAIL (npm install)"; tail -n 20 "$log" | cut -c1-400; return 1; }

  cp -R "$repo/src" "$repo/examples" "$dir/"
  rm -f "$dir/examples/tsconfig.json"
  # The library's own compiler options (strict, node16 modules), over src/ and examples/, types from $dir only.
  node -e '
    const base = require(process.argv[1]).compilerOptions;
    const compilerOptions = { ...base, rootDir: ".", outDir: "out", types: ["node"], typeRoots: ["node_modules/@types"],
      noEmitOnError: true, inlineSourceMap: false, inlineSources: false, sourceMap: true, declaration: false };
    require("fs").writeFileSync(process.argv[2] + "/tsconfig.json", JSON.stringify({
      compilerOptions, include: ["src/**/*.ts", "examples/**/*.ts"] }, null, 2));
  ' "$repo/tsconfig.json" "$dir" || { echo "$version FAIL (tsconfig)"; return 1; }

  (cd "$dir" && "$tsc" -p tsconfig.json) >>"$log" 2>&1 \
    || { echo "$version FAIL (compile)"; grep -E 'error TS' "$log" | head -20; return 1; }

  local example name failed=0
  for example in "$dir"/out/examples/*/platform.js; do
    name="$(basename "$(dirname "$example")")"
    if (cd "$dir" && CDK_OUTDIR="$dir/cdk.out/$name" node --enable-source-maps "$example") >>"$log" 2>&1 \
      && ls "$dir/cdk.out/$name"/*.template.json >/dev/null 2>&1; then
      echo "   synth $name: ok"
    else
      echo "   synth $name: FAILED"; tail -n 15 "$log" | cut -c1-400; failed=1
    fi
  done
  [ "$failed" -eq 0 ] || { echo "$version FAIL (synth)"; return 1; }
  echo "$version OK"
  [ -n "${KEEP_TMP:-}" ] || rm -rf "$dir"
}

for version in "$@"; do
  check "$version" || status=1
done
exit "$status"
