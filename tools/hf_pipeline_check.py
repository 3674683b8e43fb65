#!/usr/bin/env python3
"""Tags sentences with transformers' token-classification pipeline, as a user of a folder that
`jointag train --out` wrote would: AutoTokenizer (tokenizer.json) + AutoModelForTokenClassification,
aggregation_strategy="first". Prints, per sentence, the entities as word spans, so
test/tagging/model/hf_export_test.ts can compare them with `jointag predict`.

Usage: python3 tools/hf_pipeline_check.py <model dir> <sentences.json: [[word, ...], ...]>
Prints JSON: {"architecture", "fast", "num_labels", "missing_keys", "unexpected_keys", "entities": [[{"type", "start", "end"}, ...], ...]}
(start/end: word indices, end exclusive).
"""
import json
import sys

from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

folder, sentences_file = sys.argv[1], sys.argv[2]
sentences = json.load(open(sentences_file))
tokenizer = AutoTokenizer.from_pretrained(folder)
model, info = AutoModelForTokenClassification.from_pretrained(folder, output_loading_info=True)
tagger = pipeline(
    "token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="first"
)
out = []
for words in sentences:
    text = " ".join(words)
    starts = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    spans = []
    for e in tagger(text):
        first = max(i for i, s in enumerate(starts) if s <= e["start"])
        last = max(i for i, s in enumerate(starts) if s < e["end"])
        spans.append({"type": e["entity_group"], "start": first, "end": last + 1})
    out.append(spans)
print(json.dumps({
    "architecture": model.config.architectures[0],
    "fast": tokenizer.is_fast,
    "num_labels": model.config.num_labels,
    "missing_keys": sorted(info["missing_keys"]),
    "unexpected_keys": sorted(info["unexpected_keys"]),
    "entities": out,
}))
