#!/usr/bin/env python3
"""Dev-time check: a folder saved by tools/transformers_roundtrip.ts loads in transformers
(BertModel + BertTokenizer/BertTokenizerFast) and gives jointag's ids and last hidden state.

Usage: /root/.cache/jointag-py/bin/python tools/transformers_roundtrip.py <out dir>
"""
import json
import sys

import torch
from transformers import BertModel, BertTokenizer, BertTokenizerFast

out = sys.argv[1]
ref = json.load(open(f"{out}/jointag_reference.json"))
model = BertModel.from_pretrained(out, add_pooling_layer=False).eval()
for cls in (BertTokenizer, BertTokenizerFast):
    ids = cls.from_pretrained(out)(ref["text"])["input_ids"]
    assert ids == ref["ids"], (cls.__name__, ids, ref["ids"])
with torch.no_grad():
    hidden = model(input_ids=torch.tensor([ref["ids"]])).last_hidden_state.reshape(-1)
diff = (hidden - torch.tensor(ref["hidden"])).abs().max().item()
print(f"transformers loaded {out}: ids equal, max |hidden diff| = {diff:.2e}")
assert diff < 1e-3
