"""Writes test/fixtures/nn/adamw.json: torch.optim.AdamW (decoupled decay, PyTorch 2.13) on a few
parameters of odd and vec4-friendly sizes, two of them without decay, over 3 steps with given
gradients; the parameters after each step are the reference for test/nn/adamw_test.ts.
Dev-time only: ~/.cache/jointag-py/bin/python tools/adamw_fixture.py"""
import json

import torch

torch.manual_seed(0)
sizes = {"a.weight": [3, 8], "a.bias": [17], "b.weight": [42], "LayerNorm.weight": [8], "c": [5, 3]}
no_decay = {"a.bias", "LayerNorm.weight"}
params = {n: torch.randn(*s, dtype=torch.float64) for n, s in sizes.items()}
init = {n: p.flatten().tolist() for n, p in params.items()}
groups = [
    {"params": [params[n] for n in sizes if n not in no_decay], "weight_decay": 0.1},
    {"params": [params[n] for n in sizes if n in no_decay], "weight_decay": 0.0},
]
for p in params.values():
    p.requires_grad_(True)
opt = torch.optim.AdamW(groups, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
steps = []
for _ in range(3):
    grads = {n: torch.randn(*s, dtype=torch.float64) for n, s in sizes.items()}
    for n, p in params.items():
        p.grad = grads[n].clone()
    opt.step()
    steps.append({
        "grads": {n: g.flatten().tolist() for n, g in grads.items()},
        "params": {n: p.detach().flatten().tolist() for n, p in params.items()},
    })
out = {
    "torch": torch.__version__,
    "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1,
    "no_decay": sorted(no_decay),
    "shapes": sizes, "init": init, "steps": steps,
}
with open("test/fixtures/nn/adamw.json", "w") as f:
    json.dump(out, f)
print("wrote test/fixtures/nn/adamw.json")
