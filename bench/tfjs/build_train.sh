#!/usr/bin/env bash
# Dev-only: bundles TF.js 4.22 (tfjs-core with all gradients + tfjs-backend-webgpu, ES-module
# sources) into dist/tfjs/tfjs_webgpu_train.mjs (gitignored) for the reference training step of
# `deno task bench` (bench/tfjs/bert_step_tfjs.ts). Shares build.sh's scratch npm folder.
# Usage: bench/tfjs/build_train.sh   (needs node/npm, and npm registry access on first run)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${TFJS_NPM_DIR:-/tmp/jointag-tfjs}"
out="$repo/dist/tfjs/tfjs_webgpu_train.mjs"
mkdir -p "$work" "$(dirname "$out")"
if [ ! -d "$work/node_modules/@tensorflow/tfjs-backend-webgpu" ] || [ ! -x "$work/node_modules/.bin/esbuild" ]; then
  (cd "$work" && { [ -f package.json ] || npm init -y >/dev/null; })
  (cd "$work" && npm install --no-save --no-audit --no-fund \
    @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0 esbuild@0.24.0)
fi
cp "$here/entry_train.js" "$work/jointag_entry_train.js"
"$work/node_modules/.bin/esbuild" "$work/jointag_entry_train.js" --bundle --format=esm \
  --platform=browser --main-fields=module,main --log-level=warning --outfile="$out"
echo "wrote $out"
