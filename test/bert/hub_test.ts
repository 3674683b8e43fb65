// Hub download against a local HTTP server (Deno.serve on 127.0.0.1, port 0) serving the tiny
// fixture checkpoint under /{owner}/{name}/resolve/{revision}/{file}.
import assert from "node:assert/strict";
import {
  type DownloadProgress,
  type HubOptions,
  modelCacheDir,
  resolveModel,
} from "../../src/bert/hub.ts";
import { HubError } from "../../src/bert/errors.ts";
import { loadCheckpointFolder } from "../../src/bert/checkpoint.ts";
import { DenoFileSystem } from "../../src/io/deno/fs.ts";
import { cacheRootFromEnv, hubOptionsFromEnv } from "../../src/io/deno/hub_env.ts";
import { readSafetensors } from "../../src/bert/safetensors.ts";

const TINY = new URL("../fixtures/bert/tiny_bert/", import.meta.url);
const tinyFile = (f: string) => Deno.readFileSync(new URL(f, TINY));

/** Which files each fake repository serves (everything else is 404). */
const REPOS: Record<string, string[]> = {
  // tokenizer.json deliberately absent: the client must fall back to vocab.txt.
  "acme/tiny-bert": [
    "config.json",
    "vocab.txt",
    "tokenizer_config.json",
    "model.safetensors",
    "pytorch_model.bin",
  ],
  // Only the PyTorch checkpoint, and tokenizer.json instead of vocab.txt.
  "acme/tiny-bin": ["config.json", "tokenizer.json", "pytorch_model.bin"],
  "acme/no-tokenizer": ["config.json", "model.safetensors"],
  "acme/no-weights": ["config.json", "vocab.txt"],
};

interface Req {
  path: string;
  auth: string | null;
}

function startServer(requests: Req[]) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    requests.push({ path: url.pathname, auth: req.headers.get("authorization") });
    const m = url.pathname.match(/^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/);
    if (!m) return new Response("bad path", { status: 400 });
    const [, repo, , file] = m;
    if (repo === "acme/private") return new Response("unauthorized", { status: 401 });
    if (repo === "acme/broken") {
      return new Response("oops", { status: 500, statusText: "Internal Server Error" });
    }
    if (!REPOS[repo]?.includes(file)) return new Response("Entry not found", { status: 404 });
    return new Response(tinyFile(file), {
      headers: { "content-type": "application/octet-stream" },
    });
  });
}

Deno.test("hub: download, fallbacks, cache hits and errors against a local server", async (t) => {
  const requests: Req[] = [];
  const server = startServer(requests);
  const cacheDir = await Deno.makeTempDir({ prefix: "jointag_hub_" });
  const fs = new DenoFileSystem();
  const progress: DownloadProgress[] = [];
  const opts: HubOptions = {
    fs,
    cacheDir,
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    token: "hf_test_token",
    onProgress: (p) => progress.push(p),
  };
  try {
    await t.step("tokenizer.json 404 falls back to vocab.txt; safetensors preferred", async () => {
      const dir = await resolveModel("acme/tiny-bert", opts);
      assert.equal(dir, `${cacheDir}/models/acme/tiny-bert`);
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(names, [
        "config.json",
        "model.safetensors",
        "tokenizer_config.json",
        "vocab.txt",
      ]);
      for (const f of names) assert.deepEqual(Deno.readFileSync(`${dir}/${f}`), tinyFile(f), f);
      assert.deepEqual(
        requests.map((r) => r.path),
        ["config.json", "tokenizer.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"]
          .map(
            (f) => `/acme/tiny-bert/resolve/main/${f}`,
          ),
      );
      assert.ok(requests.every((r) => r.auth === "Bearer hf_test_token"));
      const last = progress.filter((p) => p.file === "model.safetensors" && p.done);
      assert.equal(last.length, 1);
      assert.equal(last[0].loaded, tinyFile("model.safetensors").byteLength);
      assert.equal(last[0].total, tinyFile("model.safetensors").byteLength);
      const loaded = await loadCheckpointFolder(fs, dir);
      assert.equal(loaded.files.tokenizer, "vocab.txt");
      const ref = readSafetensors(tinyFile("model.safetensors"));
      for (const [k, w] of loaded.weights) assert.deepEqual(w.data, ref.get(k)!.data);
    });

    await t.step("a second resolve is served from the cache without requests", async () => {
      const before = requests.length;
      await resolveModel("acme/tiny-bert", opts);
      assert.equal(requests.length, before);
    });

    await t.step(
      "no model.safetensors: pytorch_model.bin; tokenizer.json used when present",
      async () => {
        const dir = await resolveModel("acme/tiny-bin", { ...opts, revision: "v1.0" });
        assert.equal(dir, `${cacheDir}/models/acme/tiny-bin@v1.0`);
        const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
        assert.deepEqual(names, ["config.json", "pytorch_model.bin", "tokenizer.json"]);
        assert.ok(requests.some((r) => r.path === "/acme/tiny-bin/resolve/v1.0/model.safetensors"));
        const loaded = await loadCheckpointFolder(fs, dir);
        assert.equal(loaded.files.weights, "pytorch_model.bin");
        assert.equal(loaded.files.tokenizer, "tokenizer.json");
      },
    );

    await t.step(
      "clear errors: unknown model, missing tokenizer, missing weights, 401, 500",
      async () => {
        await assert.rejects(
          resolveModel("acme/does-not-exist", opts),
          (e: unknown) =>
            e instanceof HubError && e.status === 404 && /model not found/.test(e.message),
        );
        await assert.rejects(
          resolveModel("acme/no-tokenizer", opts),
          /acme\/no-tokenizer: none of tokenizer\.json, vocab\.txt exists/,
        );
        await assert.rejects(
          resolveModel("acme/no-weights", opts),
          /none of model\.safetensors, pytorch_model\.bin exists/,
        );
        await assert.rejects(
          resolveModel("acme/private", { ...opts, token: undefined }),
          (e: unknown) =>
            e instanceof HubError && e.status === 401 && /set HF_TOKEN/.test(e.message),
        );
        await assert.rejects(resolveModel("acme/broken", opts), /HTTP 500 Internal Server Error/);
        await assert.rejects(
          resolveModel("acme/x", { ...opts, offline: true }),
          /offline and config\.json/,
        );
        assert.throws(() => modelCacheDir(cacheDir, "../../etc"), HubError);
      },
    );

    await t.step("no temporary files are left in the cache", () => {
      const walk = (d: string): string[] =>
        [...Deno.readDirSync(d)].flatMap((e) => e.isDirectory ? walk(`${d}/${e.name}`) : [e.name]);
      assert.deepEqual(walk(cacheDir).filter((n) => n.endsWith(".tmp")), []);
    });

    await t.step("a local folder resolves to itself without network", async () => {
      const before = requests.length;
      const local = new URL(".", TINY).pathname.replace(/\/$/, "");
      assert.equal(await resolveModel(local, opts), local);
      assert.equal(requests.length, before);
      await assert.rejects(resolveModel(cacheDir, opts), /local model folder has no config\.json/);
    });
  } finally {
    await server.shutdown();
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("hub env: JOINTAG_CACHE, then HF_HOME/jointag, then ~/.cache/jointag", () => {
  const env = (m: Record<string, string>) => (k: string) => m[k];
  assert.equal(cacheRootFromEnv(env({ JOINTAG_CACHE: "/c", HF_HOME: "/h", HOME: "/u" })), "/c");
  assert.equal(cacheRootFromEnv(env({ HF_HOME: "/h/", HOME: "/u" })), "/h/jointag");
  assert.equal(cacheRootFromEnv(env({ HOME: "/u" })), "/u/.cache/jointag");
  const o = hubOptionsFromEnv(
    {},
    env({ HOME: "/u", HF_ENDPOINT: "http://mirror", HF_TOKEN: "tk", HF_HUB_OFFLINE: "1" }),
  );
  assert.equal(o.endpoint, "http://mirror");
  assert.equal(o.token, "tk");
  assert.equal(o.offline, true);
  assert.equal(hubOptionsFromEnv({}, env({ HOME: "/u" })).endpoint, "https://huggingface.co");
  assert.equal(
    modelCacheDir("/u/.cache/jointag", "google/bert_uncased_L-2_H-128_A-2"),
    "/u/.cache/jointag/models/google/bert_uncased_L-2_H-128_A-2",
  );
});
