#!/usr/bin/env bash
# Dev-only: bundles TF.js 4.22 (tfjs-core + tfjs-backend-webgpu, ES-module sources) into one file
# for the side-by-side benchmark bench/matmul_webgpu_bench.ts. Deno would load tfjs-core's CommonJS
# build, which misses parts of the library, so we bundle the ESM sources with esbuild instead.
# The npm packages go to a scratch folder (never the repo's package.json); the bundle goes to the
# gitignored dist/tfjs/. Usage: bench/tfjs/build.sh   (needs node/npm and network access to npm)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${TFJS_NPM_DIR:-/tmp/jointag-tfjs}"
out="$repo/dist/tfjs/tfjs_webgpu.mjs"
mkdir -p "$work" "$(dirname "$out")"
if [ ! -d "$work/node_modules/@tensorflow/tfjs-backend-webgpu" ] || [ ! -x "$work/node_modules/.bin/esbuild" ]; then
  (cd "$work" && [ -f package.json ] || (cd "$work" && npm init -y >/dev/null))
  (cd "$work" && npm install --no-save --no-audit --no-fund \
    @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0 esbuild@0.24.0)
fi
cp "$here/entry.js" "$work/jointag_entry.js"
"$work/node_modules/.bin/esbuild" "$work/jointag_entry.js" --bundle --format=esm --platform=browser \
  --main-fields=module,main --log-level=warning --outfile="$out"
echo "wrote $out"
