#!/usr/bin/env python3
"""Reference last hidden states of the real all-MiniLM-L6-v2 checkpoint (dev-time only).

Runs Hugging Face transformers' BertModel (eval mode) on two sentences, padded to one length,
and writes ids, mask and the last hidden state to test/fixtures/bert/minilm_hidden.json for
test/bert/minilm_model_test.ts. The checkpoint comes from tools/fetch_minilm.sh (never committed).

Usage: /root/.cache/jointag-py/bin/python tools/minilm_hidden_fixture.py "$(tools/fetch_minilm.sh)"
"""
import json
import sys

import torch
from transformers import BertModel, BertTokenizerFast

path = sys.argv[1]
tok = BertTokenizerFast.from_pretrained(path)
model = BertModel.from_pretrained(path, add_pooling_layer=False).eval()
sentences = ["EU rejects German call to boycott British lamb.", "Peter Blackburn visited Brussels."]
enc = tok(sentences, padding=True, return_tensors="pt")
with torch.no_grad():
    hidden = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
out = {
    "sentences": sentences,
    "input_ids": enc["input_ids"].tolist(),
    "attention_mask": enc["attention_mask"].tolist(),
    "last_hidden_state": [[[round(x, 6) for x in row] for row in seq] for seq in hidden.tolist()],
}
with open("test/fixtures/bert/minilm_hidden.json", "w") as f:
    json.dump(out, f)
print(hidden.shape)
