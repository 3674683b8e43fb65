#!/usr/bin/env python3
"""Reference values for the BERT parity test (test/bert/model_parity_test.ts), dev-time only.

Loads the tiny random checkpoint of test/fixtures/bert/tiny_bert (written by
bert_checkpoint_fixture.py) into Hugging Face transformers' BertModel, adds the multi-task tagger's
two heads (Linear 32->5 "ner" and 32->7 "pos", seeded), and with dropout off computes for a padded
batch: the last hidden state, each head's masked cross-entropy (ignore_index -100), the mean of the
two, and the gradients of that loss for a few named parameters.

Usage: /root/.cache/jointag-py/bin/python tools/bert_parity_fixture.py
"""
import json

import torch
import torch.nn.functional as F
from transformers import BertModel

torch.manual_seed(1)
model = BertModel.from_pretrained("test/fixtures/bert/tiny_bert", add_pooling_layer=False)
model.eval()  # dropout off
heads = {"ner": torch.nn.Linear(32, 5), "pos": torch.nn.Linear(32, 7)}

input_ids = torch.tensor([
    [2, 56, 57, 58, 59, 60, 61, 3],
    [2, 61, 62, 63, 3, 0, 0, 0],
    [2, 70, 3, 0, 0, 0, 0, 0],
])
attention_mask = (input_ids != 0).long()
labels = {
    "ner": torch.tensor([
        [-100, 1, 2, -100, 0, 3, 4, -100],
        [-100, 0, 4, 1, -100, -100, -100, -100],
        [-100, 2, -100, -100, -100, -100, -100, -100],
    ]),
    "pos": torch.tensor([
        [-100, 6, 5, -100, 0, 1, 2, -100],
        [-100, 3, 3, 4, -100, -100, -100, -100],
        [-100, 1, -100, -100, -100, -100, -100, -100],
    ]),
}

hidden = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
losses = {}
for name, head in heads.items():
    logits = head(hidden)
    losses[name] = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels[name].reshape(-1), ignore_index=-100)
loss = (losses["ner"] + losses["pos"]) / 2
loss.backward()

grad_names = [
    "embeddings.word_embeddings.weight",
    "embeddings.position_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "encoder.layer.0.attention.self.query.weight",
    "encoder.layer.0.attention.self.value.bias",  # (key.bias has an exactly-zero gradient: softmax is shift-invariant)
    "encoder.layer.1.intermediate.dense.weight",
    "encoder.layer.1.output.LayerNorm.bias",
]
params = dict(model.named_parameters())
out = {
    "input_ids": input_ids.tolist(),
    "attention_mask": attention_mask.tolist(),
    "labels": {k: v.tolist() for k, v in labels.items()},
    "heads": {k: {"weight": h.weight.detach().tolist(), "bias": h.bias.detach().tolist()} for k, h in heads.items()},
    "last_hidden_state": [[[round(x, 7) for x in row] for row in seq] for seq in hidden.detach().tolist()],
    "loss": {"ner": losses["ner"].item(), "pos": losses["pos"].item(), "mean": loss.item()},
    "grads": {n: params[n].grad.reshape(-1).tolist() for n in grad_names},
    "head_grads": {k: h.weight.grad.reshape(-1).tolist() for k, h in heads.items()},
}
with open("test/fixtures/bert/tiny_bert_parity.json", "w") as f:
    json.dump(out, f)
print("loss", out["loss"])
