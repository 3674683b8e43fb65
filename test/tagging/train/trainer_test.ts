/**
 * End-to-end training of a tiny tagger on the generated demo corpus (CPU backend): dev entity F1
 * and POS accuracy rise well above the untrained model's; the output folder loads back and
 * predicts exactly what the trained model predicts; the JSONL log and metrics.json are written.
 */
import assert from "node:assert/strict";
import { MemoryFileSystem } from "../../../src/io/file_system.ts";
import { loadCheckpointFolder } from "../../../src/bert/checkpoint.ts";
import { evaluateTagger } from "../../../src/tagging/model/evaluate.ts";
import { predictEncoded } from "../../../src/tagging/model/inference.ts";
import { loadTaggerFolder } from "../../../src/tagging/model/tagger_folder.ts";
import { OUTPUT_FILES, trainTagger } from "../../../src/tagging/train/mod.ts";
import { tinySetup } from "../tagger_fixture.ts";

Deno.test("tiny tagger: dev F1 improves, output folder round-trips", async () => {
  const s = tinySetup(600);
  const model = s.fresh();
  const before = await evaluateTagger(model, s.encDev, s.maps, "ner");
  const fs = new MemoryFileSystem();
  const lines: string[] = [];
  const result = await trainTagger(
    s.input(model, fs, "out"),
    { epochs: 3, batchSize: 8, lr: 3e-3, seed: 1 },
    { log: (l) => lines.push(l) },
  );
  assert.equal(result.completed, true);
  assert.equal(result.history.length, 3);
  const after = result.bestDev!;
  const f1Before = before.tasks.ner.micro!.f1;
  const f1After = after.tasks.ner.micro!.f1;
  assert.ok(f1After > 0.5 && f1After > f1Before + 0.3, `dev F1 ${f1Before} -> ${f1After}`);
  assert.ok(after.tasks.pos.accuracy > 0.8, `POS accuracy ${after.tasks.pos.accuracy}`);
  assert.equal(result.bestScore, Math.max(...result.history.map((h) => h.devScore)));
  assert.equal(lines.filter((l) => l.startsWith("epoch ")).length, 3);

  // Log: one line per step and per evaluation.
  const log = (await fs.readTextFile(`out/${OUTPUT_FILES.log}`)).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.equal(log.filter((e) => e.type === "step").length, result.steps);
  assert.equal(log.filter((e) => e.type === "eval").length, 3);
  assert.ok(log.every((e) => e.type !== "step" || Number.isFinite(e.loss)));
  const metrics = JSON.parse(await fs.readTextFile(`out/${OUTPUT_FILES.metrics}`));
  assert.equal(metrics.bestEpoch, result.bestEpoch);

  // The folder holds a plain HF BERT (no heads in model.safetensors) plus the heads.
  const ck = await loadCheckpointFolder(fs, `out/${OUTPUT_FILES.modelDir}`);
  assert.ok(![...ck.weights.keys()].some((k) => k.startsWith("heads") || k.startsWith("bert.")));
  const loaded = await loadTaggerFolder(fs, "out");
  assert.deepEqual(loaded.meta.tasks.map((t) => t.name), ["ner", "pos"]);
  const again = await evaluateTagger(loaded.model, s.encDev, loaded.labelMaps, "ner");
  assert.equal(again.mainScore, result.bestScore);
  // Evaluation mode is deterministic: the same predictions twice.
  const p1 = await predictEncoded(loaded.model, s.encDev);
  const p2 = await predictEncoded(loaded.model, s.encDev);
  assert.deepEqual(p1, p2);
  model.dispose();
  loaded.model.dispose();
});
