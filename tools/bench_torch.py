"""Dev-only PyTorch CPU reference of `deno task bench`'s BERT training step (never needed at run time).

The same model, inputs and step as bench/bert_step.ts: Hugging Face BertModel (post-LN, exact-erf GELU,
dropout 0.1 inside) + two token-classification heads (shared dropout 0.3 -> Linear; NER 17, POS 42
labels), loss = mean of the two cross-entropies (ignore_index -100), backward, torch.optim.AdamW
(lr 5e-5, weight decay 0.01, none on biases and LayerNorm weights). Inputs are computed by the formula
of bench/bench_inputs.ts.

Usage: python tools/bench_torch.py --shapes tiny,mini,minilm [--steps 5] [--threads 2,1] [--budget-s 60]
Prints one JSON object on stdout: per shape and thread count, ms of each warm step, median, tokens/s.
With several thread counts each shape runs once per count (OpenMP's spinning barriers make PyTorch
with all cores many times slower when other processes share the machine; one thread is not hit).
"""

import argparse
import json
import os
import statistics
import sys
import time

SHAPES = {
    "tiny": dict(layers=2, hidden=128, heads=2, intermediate=512),
    "mini": dict(layers=4, hidden=256, heads=4, intermediate=1024),
    "minilm": dict(layers=6, hidden=384, heads=12, intermediate=1536),
}
VOCAB = 30522


def make_inputs(batch=8, seq=128, vocab=VOCAB, ner_labels=17, pos_labels=42):
    """Same formula as makeInputs() in bench/bench_inputs.ts."""
    ids, mask, ner, pos = [], [], [], []
    for b in range(batch):
        length = max(1, seq - 9 * b)
        for t in range(seq):
            if t < length:
                ids.append(1000 + ((b * 7919 + t * 104729) % (vocab - 1000)))
                mask.append(1)
                ner.append((b * 31 + t * 7) % ner_labels)
                pos.append((b * 17 + t * 13) % pos_labels)
            else:
                ids.append(0)
                mask.append(0)
                ner.append(-100)
                pos.append(-100)
    return ids, mask, ner, pos


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", default="tiny,mini,minilm")
    ap.add_argument("--steps", type=int, default=5, help="warm steps per shape (at most)")
    ap.add_argument("--budget-s", type=float, default=60.0, help="stop warm steps after this")
    ap.add_argument("--threads", default=str(os.cpu_count() or 1), help="comma-separated counts")
    args = ap.parse_args()

    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(1234)
    batch, seq = 8, 128
    ids, mask, ner, pos = make_inputs(batch, seq)
    t_ids = torch.tensor(ids, dtype=torch.long).view(batch, seq)
    t_mask = torch.tensor(mask, dtype=torch.long).view(batch, seq)
    t_ner = torch.tensor(ner, dtype=torch.long)
    t_pos = torch.tensor(pos, dtype=torch.long)
    results = []
    runs = [(n, int(t)) for n in args.shapes.split(",") for t in args.threads.split(",")]
    for name, threads in runs:
        torch.set_num_threads(threads)
        s = SHAPES[name]
        cfg = BertConfig(
            vocab_size=VOCAB,
            hidden_size=s["hidden"],
            num_hidden_layers=s["layers"],
            num_attention_heads=s["heads"],
            intermediate_size=s["intermediate"],
            hidden_act="gelu",
            attn_implementation="eager",
        )
        bert = BertModel(cfg, add_pooling_layer=False)
        heads = torch.nn.ModuleDict(
            {"ner": torch.nn.Linear(s["hidden"], 17), "pos": torch.nn.Linear(s["hidden"], 42)}
        )
        drop = torch.nn.Dropout(0.3)
        named = [("bert." + n, p) for n, p in bert.named_parameters()] + [
            ("heads." + n, p) for n, p in heads.named_parameters()
        ]
        no_decay = lambda n: n.endswith("bias") or "LayerNorm.weight" in n
        opt = torch.optim.AdamW(
            [
                {"params": [p for n, p in named if not no_decay(n)], "weight_decay": 0.01},
                {"params": [p for n, p in named if no_decay(n)], "weight_decay": 0.0},
            ],
            lr=5e-5,
        )
        ce = torch.nn.CrossEntropyLoss(ignore_index=-100)
        bert.train()

        def step():
            h = drop(bert(input_ids=t_ids, attention_mask=t_mask).last_hidden_state)
            h = h.reshape(batch * seq, -1)
            loss = 0.5 * (ce(heads["ner"](h), t_ner) + ce(heads["pos"](h), t_pos))
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            return loss.item()

        t0 = time.perf_counter()
        first_loss = step()
        first_ms = (time.perf_counter() - t0) * 1000
        times, losses = [], [first_loss]
        start = time.perf_counter()
        while len(times) < args.steps and (len(times) < 2 or time.perf_counter() - start < args.budget_s):
            t0 = time.perf_counter()
            losses.append(step())
            times.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(times)
        results.append(
            {
                "model": name,
                "threads": threads,
                "parameters": sum(p.numel() for _, p in named),
                "firstStepMs": round(first_ms, 1),
                "stepsMs": [round(t, 1) for t in times],
                "medianMs": round(med, 1),
                "tokensPerS": round(batch * seq / (med / 1000), 1),
                "losses": [round(x, 5) for x in losses],
            }
        )
        print(f"torch {name} ({threads} threads): {med:.0f} ms/step", file=sys.stderr)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "blas": torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0]
                if "BLAS_INFO=" in torch.__config__.show()
                else "unknown",
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
