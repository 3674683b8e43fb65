#!/usr/bin/env python3
"""Generate src/bert/unicode_tables.ts from the HF `tokenizers` library (dev-time only).

Why: BertNormalizer / BertPreTokenizer in `tokenizers` (Rust) classify characters with the
Unicode tables compiled into the Rust crates (unicode_categories, std char), which are an
older Unicode version than the one in V8's ICU. To reproduce HF token ids *exactly* for every
code point we probe the real library one code point at a time and emit range tables.

Usage: /root/.cache/jointag-py/bin/python tools/tokenizer_unicode_tables.py [out.ts]
"""
import sys

import tokenizers
from tokenizers import normalizers, pre_tokenizers

OUT = sys.argv[1] if len(sys.argv) > 1 else "src/bert/unicode_tables.ts"


def ranges(cps):
    out = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def fmt_ranges(name, doc, cps):
    flat = []
    for a, b in ranges(cps):
        flat += [a, b]
    body = ",".join(hex(x) for x in flat)
    lines = []
    line = "  "
    for tok in body.split(","):
        if len(line) + len(tok) + 2 > 98:
            lines.append(line.rstrip())
            line = "  "
        line += tok + ", "
    lines.append(line.rstrip())
    return f"/** {doc} Flat inclusive [start, end] pairs, sorted. */\nexport const {name}: readonly number[] = [\n" + "\n".join(lines) + "\n];\n"


def write_samples(pre):
    """Per-code-point reference for test/bert/char_classes_test.ts: Latin, Greek, Cyrillic
    and a spread over the whole code space, normalized by the default uncased and cased
    BertNormalizer, with the pre-tokenizer's class (p = punctuation, w = whitespace)."""
    import json
    import os
    uncased = normalizers.BertNormalizer()
    cased = normalizers.BertNormalizer(lowercase=False)
    cps = sorted(set(range(0, 0x500)) | set(range(0x500, 0x110000, 613)) |
                 {0x1F600, 0x1F3FD, 0x200D, 0x2B820, 0x2B920, 0x1D400, 0xE0001, 0x10FFFD})
    rows = []
    for cp in cps:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        p = pre.pre_tokenize_str("a" + ch + "a")
        kind = "p" if len(p) == 3 else "w" if len(p) == 2 else ""
        rows.append([cp, uncased.normalize_str(ch), cased.normalize_str(ch), kind])
    dest = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "test", "fixtures", "bert", "unicode_samples.json")
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote {dest}: {len(rows)} code points")


def main():
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    low = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    cjk = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    pre = pre_tokenizers.BertPreTokenizer()
    removed, spaces, punct, ws, marks, cjks, strippable = [], [], [], [], [], [], []
    lower = {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        r = clean.normalize_str(ch)
        if r == "":
            removed.append(cp)
        elif r == " " and ch != " ":
            spaces.append(cp)
        elif r != ch:
            raise SystemExit(f"unexpected clean_text mapping U+{cp:04X} -> {r!r}")
        lo = low.normalize_str(ch)
        if lo != ch:
            lower[cp] = lo
        # A code point is a "nonspacing mark" for strip_accents when stripping removes it
        # entirely after a base letter (NFD of a mark is the mark itself or other marks).
        if strip.normalize_str("a" + ch) == "a":
            marks.append(cp)
        elif strip.normalize_str(ch) != ch:
            # Rust's NFD decomposes it. Listed so the TS side only asks the JS engine's NFD
            # about characters the Rust tables know how to decompose (the JS engine may know
            # newer Unicode decompositions).
            strippable.append(cp)
        if cjk.normalize_str(ch) != ch:
            cjks.append(cp)
        p = pre.pre_tokenize_str("a" + ch + "a")
        if len(p) == 3:
            punct.append(cp)
        elif len(p) == 2:
            ws.append(cp)
    # Lower-casing: emit Rust's own per-char mapping (JS engines differ for the newest
    # Unicode characters). Single-code-point mappings are compressed into runs
    # [start, end, stride, delta]; the few multi-code-point ones are listed verbatim.
    runs, multi = [], []
    for cp in sorted(lower):
        out = lower[cp]
        if len(out) != 1:
            multi.append((cp, out))
            continue
        delta = ord(out) - cp
        if runs:
            s0, e0, st, d0 = runs[-1]
            if d0 == delta and ((st == 0 and cp - e0 in (1, 2)) or (st and cp - e0 == st)):
                runs[-1] = [s0, cp, cp - e0, d0]
                continue
        runs.append([cp, cp, 0, delta])
    run_body = ",\n".join(f"  {hex(a)}, {hex(b)}, {max(st, 1)}, {d}" for a, b, st, d in runs)
    multi_body = "\n".join(
        f"  [{hex(cp)}, {chr(34)}{''.join(f'{chr(92)}u{{{ord(c):x}}}' for c in out)}{chr(34)}],"
        for cp, out in multi
    )
    src = [
        "// deno-fmt-ignore-file",
        "// GENERATED by tools/tokenizer_unicode_tables.py from HF tokenizers "
        + tokenizers.__version__ + " - do not edit.",
        "// Character classes exactly as the Rust BertNormalizer / BertPreTokenizer see them.",
        "",
        fmt_ranges("CONTROL_RANGES", "Code points removed by BertNormalizer clean_text (NUL, U+FFFD, Cc/Cf/Co except tab/LF/CR).", removed),
        fmt_ranges("CLEAN_SPACE_RANGES", "Code points clean_text turns into ' ' (besides ' ' itself).", spaces),
        fmt_ranges("WHITESPACE_RANGES", "Code points BertPreTokenizer splits on (Rust char::is_whitespace).", ws),
        fmt_ranges("PUNCT_RANGES", "Code points BertPreTokenizer isolates as punctuation.", punct),
        fmt_ranges("NONSPACING_MARK_RANGES", "Code points strip_accents removes after NFD (Mn in tokenizers' tables).", marks),
        fmt_ranges("CJK_RANGES", "Code points handle_chinese_chars pads with spaces.", cjks),
        fmt_ranges("STRIPPABLE_RANGES", "Non-mark code points that strip_accents changes (they have an NFD decomposition).", strippable),
        "/** Lower-case runs: [start, end, stride, delta] quadruples; cp maps to cp + delta. */",
        "export const LOWERCASE_RUNS: readonly number[] = [\n" + run_body + ",\n];\n",
        "/** Lower-case mappings that produce more than one code point. */",
        "export const LOWERCASE_MULTI: ReadonlyArray<readonly [number, string]> = [\n" + multi_body + "\n];\n",
    ]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(src))
    write_samples(pre)
    print(f"wrote {OUT}: removed={len(removed)} punct={len(punct)} marks={len(marks)} strippable={len(strippable)} lower={len(lower)} runs={len(runs)} multi={len(multi)}")


if __name__ == "__main__":
    main()
