/**
 * A folder written by `train --out` is a transformers token classifier: Python's
 * `pipeline("token-classification", aggregation_strategy="first")` (tools/hf_pipeline_check.py)
 * finds the same entities as `jointag predict` on the same sentences, and jointag reads the folder
 * back with every task. Needs python3 with torch and transformers (else ignored, and the reason
 * printed once).
 */
import { without } from "../../helpers/optional.ts";
import assert from "node:assert/strict";
import { generateDemoCorpus } from "../../../src/tagging/demo/demo_corpus.ts";
import { extractEntities } from "../../../src/tagging/data/entities.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const MAIN = `${ROOT}cli/main.ts`;

/** A python with torch + transformers: $JOINTAG_PYTHON, the dev venv, or python3. */
function findPython(): string | undefined {
  const home = Deno.env.get("HOME") ?? "";
  const candidates = [
    Deno.env.get("JOINTAG_PYTHON"),
    `${home}/.cache/jointag-py/bin/python`,
    "python3",
  ];
  for (const py of candidates) {
    if (!py) continue;
    try {
      const r = new Deno.Command(py, {
        args: ["-c", "import torch, transformers"],
        stdout: "null",
        stderr: "null",
      }).outputSync();
      if (r.success) return py;
    } catch { /* not installed: try the next one */ }
  }
  return undefined;
}

const PY = findPython();

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { JOINTAG_THREADS: "1" },
  }).output();
  const dec = new TextDecoder();
  assert.equal(r.code, 0, `${cmd} ${args.join(" ")}:\n${dec.decode(r.stderr)}`);
  return dec.decode(r.stdout);
}

/** Demo sentences whose words the BERT pre-tokenizer keeps whole (letters/digits or one mark). */
function plainSentences(n: number): string[][] {
  return generateDemoCorpus({ sentences: 200, seed: 7 })
    .map((s) => s.words)
    .filter((w) => w.every((x) => /^[A-Za-z0-9]+$|^[.,;:!?]$/.test(x)))
    .slice(0, n);
}

Deno.test({
  name: "HF export: transformers' token-classification pipeline agrees with predict",
  ignore: without("transformers", PY),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "jointag_hf_" });
    const out = `${dir}/model`;
    await run(Deno.execPath(), [
      "run",
      "-A",
      MAIN,
      "train",
      "--device",
      "cpu",
      "--demo-sentences",
      "1500",
      "--epochs",
      "3",
      "--out",
      out,
    ]);
    const sentences = plainSentences(25);
    assert.ok(sentences.length >= 10);
    await Deno.writeTextFile(`${dir}/sentences.json`, JSON.stringify(sentences));
    await Deno.writeTextFile(`${dir}/words.txt`, sentences.map((s) => s.join(" ")).join("\n"));
    const ours = JSON.parse(
      await run(Deno.execPath(), [
        "run",
        "-A",
        MAIN,
        "predict",
        "--device",
        "cpu",
        "--model",
        out,
        "--words",
        "--format",
        "json",
        "--input",
        `${dir}/words.txt`,
      ]),
    ) as { words: string[]; tags: Record<string, string[]> }[];
    // Read back by jointag: both tasks, from the token-classification layout.
    assert.deepEqual(Object.keys(ours[0].tags).sort(), ["ner", "pos"]);
    const theirs = JSON.parse(
      await run(PY!, [`${ROOT}tools/hf_pipeline_check.py`, out, `${dir}/sentences.json`]),
    );
    assert.equal(theirs.architecture, "BertForTokenClassification");
    assert.equal(theirs.fast, true);
    assert.deepEqual([theirs.missing_keys, theirs.unexpected_keys], [[], []]);
    assert.equal(theirs.num_labels, 9);
    const expected = ours.map((s) => extractEntities(s.tags.ner));
    assert.ok(expected.flat().length >= 10, "the tiny model should find some entities");
    assert.deepEqual(theirs.entities, expected);
    await Deno.remove(dir, { recursive: true });
  },
});
