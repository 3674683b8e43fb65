// Hub download against a local HTTP server (Deno.serve on 127.0.0.1, port 0) serving the tiny
// fixture checkpoint under /{owner}/{name}/resolve/{revision}/{file} with an X-Repo-Commit
// header, into the Hugging Face cache layout (models--owner--name/{refs,snapshots,.no_exist}).
import assert from "node:assert/strict";
import {
  type DownloadProgress,
  type HubOptions,
  repoCacheDir,
  resolveModel,
  resolveModelSource,
  snapshotRevision,
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
  // A mirror that sends no X-Repo-Commit.
  "acme/no-commit": ["config.json", "vocab.txt", "model.safetensors"],
};

/** The commit each revision of the fake hub points to (a commit resolves to itself). */
const MAIN = "0123456789abcdef0123456789abcdef01234567";
const V1 = "89abcdef0123456789abcdef0123456789abcdef";
const commitOf = (rev: string) => (/^[0-9a-f]{40}$/.test(rev) ? rev : rev === "v1.0" ? V1 : MAIN);

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
    const [, repo, rev, file] = m;
    if (repo === "acme/private") return new Response("unauthorized", { status: 401 });
    if (repo === "acme/broken") {
      return new Response("oops", { status: 500, statusText: "Internal Server Error" });
    }
    if (!REPOS[repo]?.includes(file)) return new Response("Entry not found", { status: 404 });
    const headers: Record<string, string> = { "content-type": "application/octet-stream" };
    if (repo !== "acme/no-commit") headers["x-repo-commit"] = commitOf(decodeURIComponent(rev));
    return new Response(tinyFile(file), { headers });
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
      const got = await resolveModelSource("acme/tiny-bert", opts);
      const dir = got.dir;
      const repo = `${cacheDir}/models--acme--tiny-bert`;
      assert.deepEqual(got, {
        dir: `${repo}/snapshots/${MAIN}`,
        id: "acme/tiny-bert",
        revision: MAIN,
      });
      assert.equal(Deno.readTextFileSync(`${repo}/refs/main`), MAIN);
      assert.deepEqual(
        [...Deno.readDirSync(`${repo}/.no_exist/${MAIN}`)].map((e) => e.name).sort(),
        ["heads.safetensors", "tagger.json", "tokenizer.json"],
      );
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
        [
          "main/config.json",
          ...[
            "tokenizer.json",
            "vocab.txt",
            "tokenizer_config.json",
            "model.safetensors",
            "tagger.json",
            "heads.safetensors",
          ].map((f) => `${MAIN}/${f}`),
        ].map((f) => `/acme/tiny-bert/resolve/${f}`),
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
      await resolveModel("acme/tiny-bert", { ...opts, revision: MAIN });
      await resolveModel("acme/tiny-bert", { ...opts, offline: true });
      assert.equal(requests.length, before);
    });

    await t.step("a snapshot Python downloaded (symlinks to blobs) is used as is", async () => {
      const repo = `${cacheDir}/models--acme--from-python`;
      const commit = "fedcba9876543210fedcba9876543210fedcba98";
      Deno.mkdirSync(`${repo}/blobs`, { recursive: true });
      Deno.mkdirSync(`${repo}/snapshots/${commit}`, { recursive: true });
      Deno.mkdirSync(`${repo}/refs`);
      Deno.writeTextFileSync(`${repo}/refs/main`, commit);
      for (const f of ["config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"]) {
        Deno.writeFileSync(`${repo}/blobs/${f}.blob`, tinyFile(f));
        Deno.symlinkSync(`../../blobs/${f}.blob`, `${repo}/snapshots/${commit}/${f}`);
      }
      const before = requests.length;
      const got = await resolveModelSource("acme/from-python", { ...opts, offline: true });
      assert.deepEqual(got.revision, commit);
      assert.equal(requests.length, before);
      const loaded = await loadCheckpointFolder(fs, got.dir);
      assert.equal(loaded.files.weights, "model.safetensors");
      assert.equal(snapshotRevision(got.dir), commit);
    });

    await t.step(
      "no model.safetensors: pytorch_model.bin; tokenizer.json used when present",
      async () => {
        const dir = await resolveModel("acme/tiny-bin", { ...opts, revision: "v1.0" });
        assert.equal(dir, `${cacheDir}/models--acme--tiny-bin/snapshots/${V1}`);
        assert.equal(Deno.readTextFileSync(`${cacheDir}/models--acme--tiny-bin/refs/v1.0`), V1);
        const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
        assert.deepEqual(names, ["config.json", "pytorch_model.bin", "tokenizer.json"]);
        assert.ok(
          requests.some((r) => r.path === `/acme/tiny-bin/resolve/${V1}/model.safetensors`),
        );
        const loaded = await loadCheckpointFolder(fs, dir);
        assert.equal(loaded.files.weights, "pytorch_model.bin");
        assert.equal(loaded.files.tokenizer, "tokenizer.json");
      },
    );

    await t.step(
      "a server without X-Repo-Commit: the snapshot is named after the revision",
      async () => {
        const got = await resolveModelSource("acme/no-commit", opts);
        assert.equal(got.dir, `${cacheDir}/models--acme--no-commit/snapshots/main`);
        assert.equal(got.revision, "main");
        const before = requests.length;
        await resolveModel("acme/no-commit", opts);
        assert.equal(requests.length, before);
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
          /offline and revision "main" is not complete in the cache folder .*models--acme--x/,
        );
        assert.throws(() => repoCacheDir(cacheDir, "../../etc"), HubError);
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

Deno.test("hub env: HF_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache", () => {
  const env = (m: Record<string, string>) => (k: string) => m[k];
  assert.equal(cacheRootFromEnv(env({ HF_HUB_CACHE: "/c/", HF_HOME: "/h", HOME: "/u" })), "/c");
  assert.equal(cacheRootFromEnv(env({ HF_HOME: "/h/", HOME: "/u" })), "/h/hub");
  assert.equal(cacheRootFromEnv(env({ XDG_CACHE_HOME: "/x", HOME: "/u" })), "/x/huggingface/hub");
  assert.equal(cacheRootFromEnv(env({ HOME: "/u" })), "/u/.cache/huggingface/hub");
  const o = hubOptionsFromEnv(
    {},
    env({ HOME: "/u", HF_ENDPOINT: "http://mirror", HF_TOKEN: "tk", HF_HUB_OFFLINE: "1" }),
  );
  assert.equal(o.endpoint, "http://mirror");
  assert.equal(o.token, "tk");
  assert.equal(o.offline, true);
  assert.equal(hubOptionsFromEnv({}, env({ HOME: "/u" })).endpoint, "https://huggingface.co");
  assert.equal(
    repoCacheDir("/u/.cache/huggingface/hub", "google/bert_uncased_L-2_H-128_A-2"),
    "/u/.cache/huggingface/hub/models--google--bert_uncased_L-2_H-128_A-2",
  );
});
