#!/usr/bin/env python3
"""Builds test/fixtures/tagging/seqeval_conll2003_valid.json: gold and noisy predicted tag
sequences from the CoNLL-2003 validation set together with the numbers seqeval 1.2.2 reports
for them (default, conlleval-compatible mode). The TypeScript entity metrics are tested against
these numbers to 1e-9.

Predictions are made by a deterministic corruption of the gold tags (random.Random with a fixed
seed), designed to exercise conlleval's edge cases: dropped / retyped entities, boundary shifts,
entities that start with I- (IOB1 style), I- after an entity of another type, spurious entities,
split entities and, in the "mixed" set, BIOES prefixes (E-/S-) in ill-formed positions.

Run from the repository root with the dev venv:
    /root/.cache/jointag-py/bin/python tools/seqeval_fixture.py
"""
import json
from importlib.metadata import version
import os
import random
import sys

from seqeval.metrics import (accuracy_score, classification_report, f1_score,
                             precision_score, recall_score)

SRC = "../shared/data/conll2003/valid.txt"
OUT = "test/fixtures/tagging/seqeval_conll2003_valid.json"
SEED = 20240917
N_NER = 1100   # sentences in the IOB2 set
N_MIXED = 400  # sentences in the BIOES / mixed-prefix set
N_POS = 250    # sentences in the POS accuracy set
TYPES = ["LOC", "MISC", "ORG", "PER"]


def read_conll(path):
    """Sentences as (first_line, words, pos, ner); -DOCSTART- skipped (same rules as the TS reader)."""
    sents, cur, first = [], None, 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.strip(" \t") == "":
                if cur:
                    sents.append((first, *cur))
                cur = None
                continue
            fields = line.split()
            if fields[0] == "-DOCSTART-":
                if cur:
                    sents.append((first, *cur))
                cur = None
                continue
            if cur is None:
                cur, first = ([], [], []), n
            cur[0].append(fields[0])
            cur[1].append(fields[1])
            cur[2].append(fields[3])
    if cur:
        sents.append((first, *cur))
    return sents


def spans(tags):
    """Entities of well-formed IOB2 gold tags as (type, start, end_exclusive)."""
    out, i = [], 0
    while i < len(tags):
        if tags[i].startswith("B-"):
            t, j = tags[i][2:], i + 1
            while j < len(tags) and tags[j] == "I-" + t:
                j += 1
            out.append((t, i, j))
            i = j
        else:
            i += 1
    return out


def corrupt(tags, rng):
    """Noisy copy of IOB2 gold tags (may be ill-formed on purpose)."""
    pred = list(tags)
    for t, s, e in spans(tags):
        r = rng.random()
        if r < 0.07:                       # missed entity
            for k in range(s, e):
                pred[k] = "O"
        elif r < 0.13:                     # wrong type
            nt = rng.choice([x for x in TYPES if x != t])
            for k in range(s, e):
                pred[k] = ("B-" if k == s else "I-") + nt
        elif r < 0.18 and e < len(tags) and tags[e] == "O":   # right boundary too far
            pred[e] = "I-" + t
        elif r < 0.22 and e - s > 1:       # right boundary too short
            pred[e - 1] = "O"
        elif r < 0.26 and s > 0 and tags[s - 1] == "O":       # left boundary too early
            pred[s - 1] = "B-" + t
            pred[s] = "I-" + t
        elif r < 0.31:                     # IOB1-style start: I- opens the entity
            pred[s] = "I-" + t
        elif r < 0.34 and e - s > 1:       # split in two
            pred[s + 1] = "B-" + t
        elif r < 0.37 and e - s > 1:       # type change inside: conlleval ends / starts here
            pred[e - 1] = "I-" + rng.choice([x for x in TYPES if x != t])
    for k, g in enumerate(tags):
        if g == "O" and pred[k] == "O" and rng.random() < 0.012:  # spurious entity
            pred[k] = rng.choice(["B-", "I-"]) + rng.choice(TYPES)
    return pred


def to_bioes(tags):
    out = ["O"] * len(tags)
    for t, s, e in spans(tags):
        if e - s == 1:
            out[s] = "S-" + t
        else:
            out[s] = "B-" + t
            for k in range(s + 1, e - 1):
                out[k] = "I-" + t
            out[e - 1] = "E-" + t
    return out


def scramble_prefixes(tags, rng):
    """Randomly swaps B/I/E/S prefixes: BIOES labels in ill-formed positions."""
    out = []
    for t in tags:
        if t != "O" and rng.random() < 0.15:
            out.append(rng.choice("BIES") + t[1:])
        else:
            out.append(t)
    return out


def scores(gold, pred):
    rep = classification_report(gold, pred, output_dict=True)
    per = {k: {"precision": float(v["precision"]), "recall": float(v["recall"]),
               "f1": float(v["f1-score"]), "support": int(v["support"])}
           for k, v in rep.items()}
    return {
        "precision": float(precision_score(gold, pred)),
        "recall": float(recall_score(gold, pred)),
        "f1": float(f1_score(gold, pred)),
        "accuracy": float(accuracy_score(gold, pred)),
        "report": per,
    }


def main():
    if not os.path.exists(SRC):
        sys.exit(f"missing {SRC}: run from the repository root")
    sents = read_conll(SRC)
    rng = random.Random(SEED)
    pick = sorted(rng.sample(range(len(sents)), N_NER + N_MIXED + N_POS))
    rng.shuffle(pick)
    ner_idx = sorted(pick[:N_NER])
    mixed_idx = sorted(pick[N_NER:N_NER + N_MIXED])
    pos_idx = sorted(pick[N_NER + N_MIXED:])

    gold = [sents[i][3] for i in ner_idx]
    pred = [corrupt(g, rng) for g in gold]

    gold_m = [to_bioes(sents[i][3]) for i in mixed_idx]
    pred_m = [scramble_prefixes(to_bioes(corrupt(sents[i][3], rng)), rng) for i in mixed_idx]

    all_pos = sorted({p for s in sents for p in s[2]})
    gold_p = [sents[i][2] for i in pos_idx]
    pred_p = [[p if rng.random() >= 0.07 else rng.choice(all_pos) for p in g] for g in gold_p]

    def pack(seqs):
        return [" ".join(s) for s in seqs]

    doc = {
        "source": "conll2003/valid.txt",
        "generator": "tools/seqeval_fixture.py",
        "seqeval_version": version("seqeval"),
        "seed": SEED,
        "note": "sentences are space-joined tag strings; *_index are indices into the sentence list "
                "of valid.txt after skipping -DOCSTART-, with the first line number of each sentence",
        "iob2": {"index": ner_idx, "line": [sents[i][0] for i in ner_idx],
                  "gold": pack(gold), "pred": pack(pred), "expected": scores(gold, pred)},
        "bioes_mixed": {"index": mixed_idx, "line": [sents[i][0] for i in mixed_idx],
                         "gold": pack(gold_m), "pred": pack(pred_m),
                         "expected": scores(gold_m, pred_m)},
        "pos": {"index": pos_idx, "line": [sents[i][0] for i in pos_idx],
                "gold": pack(gold_p), "pred": pack(pred_p),
                "expected": {"accuracy": float(accuracy_score(gold_p, pred_p))}},
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {os.path.getsize(OUT)} bytes; iob2 micro F1 {doc['iob2']['expected']['f1']:.4f}, "
          f"mixed F1 {doc['bioes_mixed']['expected']['f1']:.4f}, pos acc {doc['pos']['expected']['accuracy']:.4f}")


if __name__ == "__main__":
    main()
