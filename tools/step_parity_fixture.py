#!/usr/bin/env python3
"""Writes the fixture of test/tagging/train/step_parity_test.ts, dev-time only.

1. tools/step_parity_dump.ts trains jointag's tiny tagger (test/tagging/train/step_parity_setup.ts:
   every dropout off) for 20 updates, writing its initial weights to
   test/fixtures/tagging/step_parity_init/ and its batches to a temporary folder;
2. tools/reference_trainer.py replays those batches from those weights in transformers + PyTorch;
3. test/fixtures/tagging/step_parity.json gets the reference's per-update rate, per-task losses,
   mean loss and global gradient norm (before clipping), and the example indices of every batch
   (so that the test can tell a change of batching from a change of arithmetic).

Usage (repository root): python3 tools/step_parity_fixture.py
"""
import json
import os
import subprocess
import sys
import tempfile

import torch
import transformers

DENO = os.environ.get("DENO", "./node_modules/.bin/deno")
OUT = "test/fixtures/tagging/step_parity.json"
INIT = "test/fixtures/tagging/step_parity_init"

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([DENO, "run", "-A", "tools/step_parity_dump.ts", tmp], check=True)
    options = json.load(open(os.path.join(tmp, "options.json")))
    batches = [json.loads(l) for l in open(os.path.join(tmp, "batches.jsonl")) if l.strip()]
    log = os.path.join(tmp, "reference_log.jsonl")
    subprocess.run([
        sys.executable, "tools/reference_trainer.py", "--init", INIT,
        "--batches", os.path.join(tmp, "batches.jsonl"),
        "--epochs", str(options["epochs"]), "--lr", repr(options["lr"]),
        "--weight-decay", repr(options["weightDecay"]), "--clip", repr(options["clipNorm"]),
        "--encoder-dropout", "0", "--head-dropout", "0", "--threads", "1",
        "--log", log, "--compare-log", os.path.join(tmp, "run", "train_log.jsonl"),
    ], check=True)
    steps = [r for r in map(json.loads, open(log)) if r["type"] == "step"]
    out = {
        "generator": "tools/step_parity_fixture.py",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "options": options,
        "steps": [{k: r[k] for k in ("step", "epoch", "lr", "loss", "tasks", "gradNorm")} for r in steps],
        "batchIndices": [b["indices"] for b in batches],
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT} ({len(steps)} updates) and {INIT}/")
