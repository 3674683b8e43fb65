#!/usr/bin/env python3
"""Reference trainer for `jointag train`, in Hugging Face transformers + PyTorch. Dev-time only
(never at run time): it checks jointag's training loop step by step and trains the same arms
independently.

The model and recipe are jointag's (src/tagging/train/trainer.ts, multitask_tagger.ts, nn/optim/*):
a shared `BertModel` (no pooler) and per task dropout + Linear(hidden, labels); the loss is the
weighted mean of the tasks' masked cross-entropies (ignore_index -100, mean over the scored
positions; a batch with none scores 0), the first sub-word of each word labelled;
`torch.optim.AdamW` (betas 0.9/0.999, eps 1e-8, weight decay except on biases and LayerNorm
weights), linear warmup over round(warmup * total) updates then linear decay to 0 (the update
counted from 0 uses the rate of its index, so the first is 0), global gradient-norm clipping,
batches of 16.

Inputs, mixed freely:
  --init DIR      a tagger folder written by `jointag train --dump-init DIR` (config.json,
                  model.safetensors, heads.safetensors, tagger.json): jointag's exact initial
                  weights. Without it, --model DIR (a Hugging Face BERT folder) and fresh heads
                  (normal(0, initializer_range) weights, zero bias, seeded by --seed).
  --batches FILE  the JSONL of `jointag train --dump-batches FILE`: jointag's exact updates (ids,
                  mask, labels per task; the schedule's totals). Without it, --train FILE (CoNLL
                  2003 columns) read, tokenised and batched here: a seeded random order per epoch
                  (torch.randperm), no length grouping, as transformers' Trainer does.
  --dev/--test    CoNLL files scored after every epoch / with the selected epoch's model: entity
                  micro F1 by seqeval (conlleval rules) and POS accuracy per word.

Outputs: --log FILE, one JSON line per update (step, epoch, lr, loss, tasks: per-task loss,
gradNorm: the global norm before clipping); --save-weights FILE (safetensors, jointag's parameter
names `bert.…`, `heads.<task>.…`); --compare-weights FILE, the max abs/rel difference of the
final weights against jointag's checkpoint/training_state.safetensors; --metrics FILE (JSON).

Dropout: --encoder-dropout P sets BERT's hidden and attention dropout (default: config.json),
--head-dropout P the heads' (default 0.3). Step parity is checked with both 0.

Examples:
  # step parity on MiniLM, 100 updates, dropout off (see test/tagging/train/step_parity_test.ts)
  deno run -A cli/main.ts train --model $M --train train.txt --dev valid.txt --train-limit 1000 \\
    --lr 2e-4 --encoder-dropout 0 --head-dropout 0 --stop-after 100 --out /tmp/jt \\
    --dump-init /tmp/jt_init --dump-batches /tmp/jt_batches.jsonl
  python3 tools/reference_trainer.py --init /tmp/jt_init --batches /tmp/jt_batches.jsonl \\
    --lr 2e-4 --encoder-dropout 0 --head-dropout 0 --log /tmp/ref_log.jsonl \\
    --compare-weights /tmp/jt/checkpoint/training_state.safetensors
  # an independent run (own data order, HF init) with dev/test scores
  python3 tools/reference_trainer.py --model $M --train train.txt --train-limit 1000 \\
    --dev valid.txt --test test.txt --lr 2e-4 --seed 1 --metrics /tmp/ref.json
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from transformers import AutoTokenizer, BertConfig, BertModel

IGNORE = -100


# ----------------------------------------------------------------------------------------------
# Data


def read_conll(path, limit=None):
    """CoNLL-2003 columns (word POS chunk NER); -DOCSTART- lines skipped; tags made IOB2."""
    sents, words, pos, ner = [], [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            fields = line.split()
            if not fields:
                if words:
                    sents.append({"words": words, "pos": pos, "ner": to_iob2(ner)})
                    words, pos, ner = [], [], []
                continue
            if fields[0] == "-DOCSTART-":
                continue
            words.append(fields[0])
            pos.append(fields[1])
            ner.append(fields[-1])
    if words:
        sents.append({"words": words, "pos": pos, "ner": to_iob2(ner)})
    return sents[:limit] if limit is not None else sents


def to_iob2(tags):
    out = []
    for i, t in enumerate(tags):
        if t.startswith("I-"):
            prev = out[i - 1] if i else "O"
            if prev == "O" or prev[2:] != t[2:]:
                t = "B-" + t[2:]
        out.append(t)
    return out


def encode(sents, tokenizer, label_maps, max_length):
    """Sub-word ids and per-task labels on each word's first sub-word (truncated at max_length)."""
    out = []
    for s in sents:
        enc = tokenizer(s["words"], is_split_into_words=True, truncation=True, max_length=max_length)
        wids = enc.word_ids()
        labels = {}
        for task, m in label_maps.items():
            lab, prev = [], None
            for w in wids:
                lab.append(IGNORE if w is None or w == prev else m.get(s[task][w], IGNORE))
                if w is not None:
                    prev = w
            labels[task] = lab
        out.append({"ids": enc["input_ids"], "word_ids": wids, "labels": labels})
    return out


def pad_batch(examples, tasks, pad_id=0):
    t = max(len(e["ids"]) for e in examples)
    ids = torch.full((len(examples), t), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), t), dtype=torch.long)
    labels = {k: torch.full((len(examples), t), IGNORE, dtype=torch.long) for k in tasks}
    for r, e in enumerate(examples):
        n = len(e["ids"])
        ids[r, :n] = torch.tensor(e["ids"])
        mask[r, :n] = 1
        for k in tasks:
            labels[k][r, :n] = torch.tensor(e["labels"][k])
    return ids, mask, labels


def read_batches(path):
    """jointag's --dump-batches file: one update per line."""
    out = []
    with open(path) as f:
        for line in f:
            if line.strip():
                b = json.loads(line)
                out.append({
                    "step": b["step"],
                    "epoch": b["epoch"],
                    "totalSteps": b["totalSteps"],
                    "warmupSteps": b["warmupSteps"],
                    "ids": torch.tensor(b["inputIds"], dtype=torch.long),
                    "mask": torch.tensor(b["attentionMask"], dtype=torch.long),
                    "labels": {k: torch.tensor(v, dtype=torch.long) for k, v in b["labels"].items()},
                })
    return out


# ----------------------------------------------------------------------------------------------
# Model


class Tagger(torch.nn.Module):
    """Shared BertModel + per task dropout and Linear; parameter names as jointag's."""

    def __init__(self, config, tasks, head_dropout):
        super().__init__()
        self.tasks = tasks  # [(name, num_labels, weight)]
        self.bert = BertModel(config, add_pooling_layer=False)
        self.heads = torch.nn.ModuleDict(
            {n: torch.nn.Linear(config.hidden_size, k) for n, k, _ in tasks})
        self.drop = torch.nn.Dropout(head_dropout)

    def loss(self, ids, mask, labels):
        h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        total_w = sum(w for _, _, w in self.tasks)
        per_task, loss = {}, 0.0
        for name, k, w in self.tasks:
            logits = self.heads[name](self.drop(h))
            y = labels[name].reshape(-1)
            s = F.cross_entropy(logits.reshape(-1, k), y, ignore_index=IGNORE, reduction="sum")
            ce = s / max(1, int((y != IGNORE).sum()))
            per_task[name] = ce
            if w:
                loss = loss + ce * (w / total_w)
        return loss, per_task

    @torch.no_grad()
    def predict(self, ids, mask):
        h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        return {n: self.heads[n](h).argmax(-1) for n, _, _ in self.tasks}


def no_decay(name):
    return name.endswith("bias") or name.endswith("LayerNorm.weight")


def lr_at(step, peak, warmup, total):
    """jointag's linearWarmupDecay (= transformers' get_linear_schedule_with_warmup)."""
    if step < warmup:
        return peak * step / max(1, warmup)
    return peak * max(0.0, (total - step) / max(1, total - warmup))


def js_round(x):
    return math.floor(x + 0.5)


# ----------------------------------------------------------------------------------------------
# Evaluation


def evaluate(model, data, sents, label_maps, batch_size=64):
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

    inv = {t: {i: l for l, i in m.items()} for t, m in label_maps.items()}
    tasks = list(label_maps)
    preds = {t: [] for t in tasks}
    model.eval()
    order = sorted(range(len(data)), key=lambda i: len(data[i]["ids"]))
    out = [None] * len(data)
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        ids, mask, _ = pad_batch([data[i] for i in idx], tasks)
        p = model.predict(ids, mask)
        for r, i in enumerate(idx):
            out[i] = {t: p[t][r].tolist() for t in tasks}
    for i, e in enumerate(data):
        n = len(sents[i]["words"])
        first = {}
        for pos, w in enumerate(e["word_ids"]):
            if w is not None and w not in first:
                first[w] = pos
        for t in tasks:
            fill = "O" if "O" in label_maps[t] else next(iter(label_maps[t]))
            preds[t].append([inv[t][out[i][t][first[w]]] if w in first else fill for w in range(n)])
    res = {}
    for t in tasks:
        gold = [s[t] for s in sents]
        if any(l.startswith("B-") for l in label_maps[t]):
            res[t] = {
                "f1": f1_score(gold, preds[t]),
                "precision": precision_score(gold, preds[t]),
                "recall": recall_score(gold, preds[t]),
                "report": classification_report(gold, preds[t], output_dict=True, digits=4),
            }
        ok = sum(g == p for gs, ps in zip(gold, preds[t]) for g, p in zip(gs, ps))
        res.setdefault(t, {})["accuracy"] = ok / sum(len(g) for g in gold)
    for t in res:
        if "report" in res[t]:
            res[t]["report"] = {k: {m: float(v) for m, v in d.items()}
                                for k, d in res[t]["report"].items()}
    model.train()
    return res


def compare_logs(jointag_log, ref_log, say, tol=1e-4):
    """Per-update relative differences of the per-task losses, the mean loss, the grad norm and
    the rate; prints the first update where one exceeds `tol` and the worst of each."""
    def steps(path):
        return {r["step"]: r for r in map(json.loads, open(path)) if r.get("type") == "step"}
    j, r = steps(jointag_log), steps(ref_log)
    common = sorted(set(j) & set(r))
    worst, first = {}, None
    rows = []
    for s in common:
        a, b = j[s], r[s]
        d = {f"loss.{t}": (a["tasks"][t], b["tasks"][t]) for t in b["tasks"]}
        d["loss"] = (a["loss"], b["loss"])
        d["gradNorm"] = (a.get("gradNorm", float("nan")), b["gradNorm"])
        d["lr"] = (a["lr"], b["lr"])
        rel = {k: abs(x - y) / max(abs(y), 1e-12) for k, (x, y) in d.items()}
        for k, v in rel.items():
            if not v <= worst.get(k, (0, 0))[0]:
                worst[k] = (v, s)
        if first is None and any(not v <= tol for v in rel.values()):
            first = (s, {k: d[k] for k, v in rel.items() if not v <= tol})
        rows.append((s, rel))
    say(f"log comparison over {len(common)} updates (tolerance {tol:g} relative):")
    for k, (v, s) in sorted(worst.items()):
        say(f"  {k:12s} worst rel diff {v:.3e} at update {s}")
    if first:
        say(f"  first update beyond tolerance: {first[0]}: {first[1]}")
    else:
        say("  no update beyond tolerance")
    return {"updates": len(common), "worst": {k: {"rel": v, "step": s} for k, (v, s) in worst.items()},
            "firstBeyond": first[0] if first else None}


# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--init", help="jointag --dump-init folder (encoder + heads + tagger.json)")
    ap.add_argument("--model", help="Hugging Face BERT folder (fresh heads)")
    ap.add_argument("--batches", help="jointag --dump-batches JSONL")
    ap.add_argument("--train", help="CoNLL training file (without --batches)")
    ap.add_argument("--train-limit", type=int)
    ap.add_argument("--dev")
    ap.add_argument("--test")
    ap.add_argument("--tasks", default="ner,pos")
    ap.add_argument("--task-weights", help="name=w,… (default equal)")
    ap.add_argument("--main-task", default="ner")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--eps", type=float, default=1e-8)
    ap.add_argument("--max-length", type=int, default=128, help="training truncation (eval: 512)")
    ap.add_argument("--encoder-dropout", type=float)
    ap.add_argument("--head-dropout", type=float, default=0.3)
    ap.add_argument("--max-steps", type=int, help="stop after this many updates")
    ap.add_argument("--select", choices=["best", "last"], default="best",
                    help="epoch whose model is tested: best dev main-task score (jointag) or last")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--float64", action="store_true", help="train in float64 (a ground truth)")
    ap.add_argument("--log")
    ap.add_argument("--save-weights")
    ap.add_argument("--compare-weights")
    ap.add_argument("--metrics")
    ap.add_argument("--compare-log", help="jointag's train_log.jsonl: per-update loss/grad-norm diffs")
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    say = lambda m: print(m, file=sys.stderr, flush=True)

    # Model, label maps, tokenizer.
    src = a.init or a.model
    if not src:
        sys.exit("give --init or --model")
    cfg = json.load(open(os.path.join(src, "config.json")))
    if a.encoder_dropout is not None:
        cfg["hidden_dropout_prob"] = cfg["attention_probs_dropout_prob"] = a.encoder_dropout
    config = BertConfig(**{k: v for k, v in cfg.items() if k not in ("architectures",)})
    config._attn_implementation = "eager"
    weights = {}
    if a.task_weights:
        for kv in a.task_weights.split(","):
            k, v = kv.split("=")
            weights[k] = float(v)
    if a.init:
        meta = json.load(open(os.path.join(a.init, "tagger.json")))
        label_maps = {t["name"]: {l: i for i, l in enumerate(t["labels"]["labels"])} for t in meta["tasks"]}
        task_w = {t["name"]: t["weight"] for t in meta["tasks"]}
    else:
        label_maps, task_w = None, {}
    tasks_names = a.tasks.split(",") if not a.init else list(label_maps)
    tokenizer = None
    if a.train or a.dev or a.test:
        tokenizer = AutoTokenizer.from_pretrained(src)
    train_sents = read_conll(a.train, a.train_limit) if a.train and not a.batches else None
    dev_sents = read_conll(a.dev) if a.dev else None
    test_sents = read_conll(a.test) if a.test else None
    if label_maps is None:
        label_maps = {}
        for t in tasks_names:
            seen = {}
            for s in (train_sents or []) + (dev_sents or []):
                for l in s[t]:
                    seen.setdefault(l, len(seen))
            label_maps[t] = seen
    tasks = [(t, len(label_maps[t]), weights.get(t, task_w.get(t, 1.0))) for t in tasks_names]
    model = Tagger(config, tasks, a.head_dropout)
    if a.init:
        # Either layout of a tagger folder: BertModel names + every head in heads.safetensors, or
        # BertForTokenClassification (`bert.*`, the main task's head as `classifier.*`).
        enc = load_file(os.path.join(a.init, "model.safetensors"))
        heads = load_file(os.path.join(a.init, "heads.safetensors"))
        if "classifier.weight" in enc:
            heads[f"{meta['mainTask']}.weight"] = enc.pop("classifier.weight")
            heads[f"{meta['mainTask']}.bias"] = enc.pop("classifier.bias")
        enc = {k[5:] if k.startswith("bert.") else k: v for k, v in enc.items()
               if not k.startswith("bert.pooler.") and not k.startswith("pooler.")}
        missing, unexpected = model.bert.load_state_dict(enc, strict=False)
        missing = [m for m in missing if not m.endswith("position_ids")]
        if missing or unexpected:
            sys.exit(f"encoder weights: missing {missing}, unexpected {unexpected}")
        for n, _, _ in tasks:
            model.heads[n].weight.data.copy_(heads[f"{n}.weight"])
            model.heads[n].bias.data.copy_(heads[f"{n}.bias"])
    else:
        enc = load_file(os.path.join(a.model, "model.safetensors"))
        enc = {k[5:] if k.startswith("bert.") else k: v for k, v in enc.items()
               if not k.startswith("bert.pooler.") and not k.startswith("pooler.")}
        missing, _ = model.bert.load_state_dict(enc, strict=False)
        missing = [m for m in missing if not m.endswith("position_ids")]
        if missing:
            sys.exit(f"encoder weights: missing {missing}")
        for n, _, _ in tasks:
            torch.nn.init.normal_(model.heads[n].weight, std=config.initializer_range)
            torch.nn.init.zeros_(model.heads[n].bias)
    if a.float64:
        model.double()
    model.train()

    # Updates.
    if a.batches:
        updates = read_batches(a.batches)
        total, warmup = updates[0]["totalSteps"], updates[0]["warmupSteps"]
        epochs_of = [[u for u in updates if u["epoch"] == e] for e in range(a.epochs)]
        train_data = None
    else:
        train_data = encode(train_sents, tokenizer, label_maps, a.max_length)
        per_epoch = math.ceil(len(train_data) / a.batch_size)
        total = per_epoch * a.epochs
        warmup = js_round(a.warmup * total)
        gen = torch.Generator().manual_seed(a.seed)
        epochs_of = []
        for e in range(a.epochs):
            perm = torch.randperm(len(train_data), generator=gen).tolist()
            eb = []
            for s in range(0, len(perm), a.batch_size):
                ids, mask, labels = pad_batch([train_data[i] for i in perm[s:s + a.batch_size]], tasks_names)
                eb.append({"epoch": e, "ids": ids, "mask": mask, "labels": labels})
            epochs_of.append(eb)
    dev_data = encode(dev_sents, tokenizer, label_maps, 512) if dev_sents else None
    test_data = encode(test_sents, tokenizer, label_maps, 512) if test_sents else None

    params = list(model.named_parameters())
    groups = [
        {"params": [p for n, p in params if not no_decay(n)], "weight_decay": a.weight_decay},
        {"params": [p for n, p in params if no_decay(n)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=a.lr, betas=(0.9, 0.999), eps=a.eps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_at(s, 1.0, warmup, total))
    logf = open(a.log, "w") if a.log else None
    step, history, best, best_state = 0, [], -1.0, None
    t0 = time.time()
    for e, batches in enumerate(epochs_of):
        for b in batches:
            if a.max_steps is not None and step >= a.max_steps:
                break
            lr = opt.param_groups[0]["lr"]
            loss, per_task = model.loss(b["ids"], b["mask"], b["labels"])
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            if logf:
                logf.write(json.dumps({
                    "type": "step", "step": step, "epoch": e, "lr": lr, "loss": float(loss.detach()),
                    "tasks": {k: float(v.detach()) for k, v in per_task.items()}, "gradNorm": float(norm),
                }) + "\n")
        if a.max_steps is not None and step >= a.max_steps:
            break
        if dev_data:
            ev = evaluate(model, dev_data, dev_sents, label_maps)
            score = ev[a.main_task].get("f1", ev[a.main_task]["accuracy"])
            rec = {"epoch": e + 1, "step": step, "dev": ev, "devScore": score}
            history.append(rec)
            say(f"epoch {e + 1}: dev {a.main_task} {score:.4f}" + "".join(
                f" {t} acc {ev[t]['accuracy']:.4f}" for t in ev if t != a.main_task) +
                f" ({time.time() - t0:.0f} s)")
            if logf:
                logf.write(json.dumps({"type": "eval", "epoch": e + 1, "step": step, "devScore": score}) + "\n")
            if score > best and a.select == "best":
                best = score
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    if logf:
        logf.close()
    final_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    metrics = {"steps": step, "history": history, "seconds": time.time() - t0}
    if test_data:
        if best_state is not None:
            model.load_state_dict(best_state)
            metrics["selectedEpoch"] = 1 + max(range(len(history)), key=lambda i: (history[i]["devScore"], -i))
        ev = evaluate(model, test_data, test_sents, label_maps)
        metrics["test"] = ev
        say(f"test: {a.main_task} " + " ".join(
            f"{t} f1 {ev[t]['f1']:.4f}" if "f1" in ev[t] else f"{t} acc {ev[t]['accuracy']:.4f}" for t in ev))
    if a.compare_log and a.log:
        metrics["logDiff"] = compare_logs(a.compare_log, a.log, say)
    if a.metrics:
        json.dump(metrics, open(a.metrics, "w"), indent=1)
    named = {k: v.float().contiguous() for k, v in final_state.items() if not k.endswith("position_ids")}
    if a.save_weights:
        save_file(named, a.save_weights)
    if a.compare_weights:
        theirs = load_file(a.compare_weights)
        worst_abs, worst_rel, rows = 0.0, 0.0, []
        for k, v in named.items():
            w = theirs.get("model." + k)
            if w is None:
                sys.exit(f"--compare-weights: {k} not in {a.compare_weights}")
            d = (w.double() - v.double()).abs()
            rel = float(d.max() / max(float(v.double().abs().max()), 1e-30))
            rows.append((float(d.max()), rel, k))
            worst_abs, worst_rel = max(worst_abs, float(d.max())), max(worst_rel, rel)
        rows.sort(reverse=True)
        for r in rows[:8]:
            say(f"  weights {r[2]}: max abs diff {r[0]:.3e} (rel. to max |w| {r[1]:.3e})")
        say(f"weights after {step} updates: max abs diff {worst_abs:.3e}, max rel {worst_rel:.3e}")
        metrics["weightsMaxAbsDiff"] = worst_abs
    print(json.dumps({k: v for k, v in metrics.items() if k in ("steps", "weightsMaxAbsDiff", "selectedEpoch")}))


if __name__ == "__main__":
    main()
