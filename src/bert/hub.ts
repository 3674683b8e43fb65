/**
 * Resolving a Hugging Face model id (e.g. "google/bert_uncased_L-2_H-128_A-2") or a local
 * folder to a folder holding config.json, a tokenizer and weights. Models live in the Hugging Face
 * hub cache layout that Python's `huggingface_hub` uses and fills, so what Python downloaded is
 * found here and the other way round:
 *
 *     <cache>/models--<owner>--<name>/refs/<revision>          the commit a branch or tag points to
 *     <cache>/models--<owner>--<name>/snapshots/<commit>/...    the files of that commit
 *     <cache>/models--<owner>--<name>/.no_exist/<commit>/<file> a file the repository lacks
 *
 * Missing files are downloaded from `{endpoint}/{id}/resolve/{revision}/{file}`; the commit comes
 * from the server's `X-Repo-Commit` header. Network goes through the web `fetch` API, files
 * through the {@link FileSystem} interface, so this module runs in browsers too. Environment
 * lookup (HF_HUB_CACHE, HF_HOME, HF_ENDPOINT, HF_TOKEN) is in src/io/deno/hub_env.ts.
 * @module
 */

import { HubError } from "./errors.ts";
import { dirname, type FileSystem, joinPath } from "../io/file_system.ts";

/** Default hub endpoint. */
export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";

/** Progress of one file download. */
export interface DownloadProgress {
  /** File name within the model repo, e.g. "model.safetensors". */
  file: string;
  /** Bytes received so far. */
  loaded: number;
  /** Content-Length when the server sent one. */
  total: number | undefined;
  /** True on the final call for this file. */
  done: boolean;
}

/** Where and how to resolve models. */
export interface HubOptions {
  /** Where the cache and local model folders are read and written. */
  fs: FileSystem;
  /** Hub cache root (`$HF_HUB_CACHE`, e.g. ~/.cache/huggingface/hub). */
  cacheDir: string;
  /** Hub base URL (default https://huggingface.co). */
  endpoint?: string;
  /** Access token sent as `Authorization: Bearer` (private or gated models). */
  token?: string;
  /** Branch, tag or commit (default "main"). */
  revision?: string;
  /** Never touch the network; fail if files are missing. */
  offline?: boolean;
  /** Injected fetch (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Called for every received chunk and once at the end of each file. */
  onProgress?: (p: DownloadProgress) => void;
}

/** A resolved model: its folder and, for a hub model, the id and commit. */
export interface ResolvedModel {
  /** Folder with config.json, tokenizer and weights. */
  dir: string;
  /** Hub id (absent for a local folder). */
  id?: string;
  /** Commit of the snapshot (also found for a local folder inside a hub cache). */
  revision?: string;
}

/** Files downloaded into a model folder, in fallback groups: first existing name wins. */
export const MODEL_FILE_GROUPS: ReadonlyArray<{ names: readonly string[]; required: boolean }> = [
  { names: ["config.json"], required: true },
  { names: ["tokenizer.json", "vocab.txt"], required: true },
  // Only consulted when the tokenizer comes from vocab.txt: it says whether to lower-case.
  { names: ["tokenizer_config.json"], required: false },
  { names: ["model.safetensors", "pytorch_model.bin"], required: true },
  // A tagger trained by jointag: its tasks and the heads beside the main one.
  { names: ["tagger.json"], required: false },
  { names: ["heads.safetensors"], required: false },
];

/** True when `s` looks like a filesystem path rather than a hub id. */
export function isLocalPath(s: string): boolean {
  return /^(\/|\.{1,2}(\/|$)|~\/|[A-Za-z]:[\\/]|\\\\)/.test(s);
}

const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
const COMMIT = /^[0-9a-f]{40}$/;

/**
 * The cache folder of a model id, `<cacheDir>/models--<owner>--<name>`.
 * @throws HubError on an invalid id
 */
export function repoCacheDir(cacheDir: string, id: string): string {
  if (
    !MODEL_ID.test(id) || id.split("/").some((p) => p === "." || p === ".." || p.endsWith(".."))
  ) {
    throw new HubError(id, 'not a valid model id (expected "name" or "owner/name")');
  }
  return joinPath(cacheDir, `models--${id.replace("/", "--")}`);
}

/** The commit of a folder inside a hub cache (`…/snapshots/<commit>`), if it is one. */
export function snapshotRevision(dir: string): string | undefined {
  return dir.replace(/[\\/]+$/, "").match(/[\\/]snapshots[\\/]([^\\/]+)$/)?.[1];
}

/**
 * Resolve a model id or local folder to a folder containing config.json, a tokenizer
 * (tokenizer.json or vocab.txt) and weights (model.safetensors or pytorch_model.bin).
 * @returns the folder path
 * @throws HubError when the model or a required file cannot be found or downloaded
 */
export async function resolveModel(idOrPath: string, options: HubOptions): Promise<string> {
  return (await resolveModelSource(idOrPath, options)).dir;
}

/**
 * {@link resolveModel} with the commit: a complete snapshot in the cache for the revision (via
 * `refs/<revision>`, or the commit itself) is used without any request; otherwise the missing
 * files are downloaded into the snapshot of the commit the server names.
 */
export async function resolveModelSource(
  idOrPath: string,
  options: HubOptions,
): Promise<ResolvedModel> {
  const { fs } = options;
  // Like transformers' from_pretrained, an existing local folder wins over a hub id.
  if (
    isLocalPath(idOrPath) || !MODEL_ID.test(idOrPath) ||
    (await fs.exists(joinPath(idOrPath, "config.json")))
  ) {
    if (!(await fs.exists(joinPath(idOrPath, "config.json")))) {
      throw new HubError(idOrPath, "local model folder has no config.json");
    }
    return { dir: idOrPath, revision: snapshotRevision(idOrPath) };
  }
  const repo = repoCacheDir(options.cacheDir, idOrPath);
  const revision = options.revision ?? "main";
  let commit = COMMIT.test(revision) ? revision : await readRef(fs, repo, revision);
  if (commit && (await missingFiles(fs, repo, commit, !options.offline)).length === 0) {
    return { dir: joinPath(repo, "snapshots", commit), id: idOrPath, revision: commit };
  }
  if (options.offline) {
    throw new HubError(
      idOrPath,
      `offline and revision "${revision}" is not complete in the cache folder ${repo}`,
    );
  }
  if (!commit) {
    commit = await fetchFirst(idOrPath, revision, repo, options);
    if (!COMMIT.test(revision)) await writeRef(fs, repo, revision, commit);
  }
  const at = joinPath(repo, "snapshots", commit);
  for (const group of await missingFiles(fs, repo, commit, true)) {
    await downloadGroup(idOrPath, commit, group, repo, options);
  }
  return { dir: at, id: idOrPath, revision: commit };
}

/** Downloads config.json for `revision`; returns the commit (X-Repo-Commit, else the revision). */
async function fetchFirst(
  id: string,
  revision: string,
  repo: string,
  options: HubOptions,
): Promise<string> {
  const url = fileUrl(options.endpoint ?? DEFAULT_HUB_ENDPOINT, id, revision, "config.json");
  const got = await fetchFile(url, { ...options, file: "config.json" });
  if (!got) {
    throw new HubError(
      id,
      `model not found (404 for ${url}); check the id and revision "${revision}"`,
      404,
    );
  }
  // A mirror without the header: the snapshot is named after the revision itself.
  const commit = got.commit ?? revision.replaceAll("/", "--");
  await writeCached(options.fs, joinPath(repo, "snapshots", commit, "config.json"), got.bytes);
  done(options, "config.json", got.bytes);
  return commit;
}

/** Downloads the first file of `group` the repository has; marks the others as absent. */
async function downloadGroup(
  id: string,
  commit: string,
  group: { names: readonly string[]; required: boolean },
  repo: string,
  options: HubOptions,
): Promise<void> {
  const tried: string[] = [];
  for (const name of group.names) {
    if (await options.fs.exists(joinPath(repo, ".no_exist", commit, name))) continue;
    const url = fileUrl(options.endpoint ?? DEFAULT_HUB_ENDPOINT, id, commit, name);
    tried.push(url);
    const got = await fetchFile(url, { ...options, file: name });
    if (got) {
      await writeCached(options.fs, joinPath(repo, "snapshots", commit, name), got.bytes);
      done(options, name, got.bytes);
      return;
    }
    await writeCached(options.fs, joinPath(repo, ".no_exist", commit, name), new Uint8Array());
  }
  if (group.required) {
    throw new HubError(
      id,
      `none of ${group.names.join(", ")} exists in the repository (${
        tried.length ? `tried ${tried.join(", ")}` : "marked absent in the cache"
      })`,
      404,
    );
  }
}

/**
 * The file groups of {@link MODEL_FILE_GROUPS} a snapshot still lacks. A group is settled when
 * one of its files is there; an optional one also when every file is marked absent
 * (`.no_exist`), or, with `askOptional` false, always. tokenizer_config.json is not needed next
 * to tokenizer.json.
 */
async function missingFiles(
  fs: FileSystem,
  repo: string,
  commit: string,
  askOptional: boolean,
): Promise<typeof MODEL_FILE_GROUPS[number][]> {
  const snap = joinPath(repo, "snapshots", commit);
  const has = (n: string) => fs.exists(joinPath(snap, n));
  const absent = (n: string) => fs.exists(joinPath(repo, ".no_exist", commit, n));
  const out: typeof MODEL_FILE_GROUPS[number][] = [];
  for (const group of MODEL_FILE_GROUPS) {
    if (!group.required && !askOptional) continue;
    if (group.names[0] === "tokenizer_config.json" && (await has("tokenizer.json"))) continue;
    let settled = false;
    let allAbsent = true;
    for (const n of group.names) {
      if (await has(n)) settled = true;
      else if (!(await absent(n))) allAbsent = false;
    }
    if (!settled && !(allAbsent && !group.required)) out.push(group);
  }
  return out;
}

function done(options: HubOptions, file: string, bytes: Uint8Array): void {
  options.onProgress?.({ file, loaded: bytes.byteLength, total: bytes.byteLength, done: true });
}

async function readRef(
  fs: FileSystem,
  repo: string,
  revision: string,
): Promise<string | undefined> {
  const path = joinPath(repo, "refs", revision);
  if (!(await fs.exists(path))) return undefined;
  const commit = (await fs.readTextFile(path)).trim();
  return commit || undefined;
}

async function writeRef(fs: FileSystem, repo: string, revision: string, commit: string) {
  await writeCached(fs, joinPath(repo, "refs", revision), commit);
}

async function writeCached(fs: FileSystem, path: string, data: Uint8Array | string) {
  await fs.mkdirp(dirname(path));
  await fs.writeFileAtomic(path, data);
}

/** `{endpoint}/{id}/resolve/{revision}/{file}` */
export function fileUrl(endpoint: string, id: string, revision: string, file: string): string {
  return `${endpoint.replace(/\/+$/, "")}/${id}/resolve/${encodeURIComponent(revision)}/${file}`;
}

/**
 * Download one URL into `dest` (atomically, via the file system's temp-and-rename).
 * @returns false on 404, true when written
 * @throws HubError on network failure, auth errors or other HTTP statuses
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: Pick<HubOptions, "fs" | "token" | "fetch" | "onProgress"> & { file?: string },
): Promise<boolean> {
  const got = await fetchFile(url, options);
  if (!got) return false;
  await options.fs.writeFileAtomic(dest, got.bytes);
  const file = options.file ?? url.slice(url.lastIndexOf("/") + 1);
  const n = got.bytes.byteLength;
  options.onProgress?.({ file, loaded: n, total: n, done: true });
  return true;
}

/**
 * Fetch one URL into memory, with the commit the hub names (`X-Repo-Commit`).
 * @returns undefined on 404
 * @throws HubError on network failure, auth errors, other HTTP statuses or a truncated body
 */
async function fetchFile(
  url: string,
  options: Pick<HubOptions, "token" | "fetch" | "onProgress"> & { file?: string },
): Promise<{ bytes: Uint8Array; commit?: string } | undefined> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const file = options.file ?? url.slice(url.lastIndexOf("/") + 1);
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await doFetch(url, { headers, redirect: "follow" });
  } catch (e) {
    const cause = (e as Error).cause;
    const detail = cause instanceof Error ? ` (${cause.message})` : "";
    throw new HubError(url, `network error: ${(e as Error).message}${detail}`);
  }
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new HubError(
      url,
      `HTTP ${res.status}: the repository does not exist, or is private or gated (${
        options.token ? "the token was refused" : "set HF_TOKEN for private or gated models"
      })`,
      res.status,
    );
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new HubError(url, `HTTP ${res.status} ${res.statusText}`, res.status);
  }
  const lenHeader = res.headers.get("content-length");
  const total = lenHeader !== null && /^\d+$/.test(lenHeader) ? Number(lenHeader) : undefined;
  const bytes = await readBody(
    res.body,
    total,
    (loaded) => options.onProgress?.({ file, loaded, total, done: false }),
    url,
  );
  if (total !== undefined && bytes.byteLength !== total) {
    throw new HubError(url, `download truncated: ${bytes.byteLength} of ${total} bytes`);
  }
  const commit = res.headers.get("x-repo-commit") ?? undefined;
  return { bytes, commit: commit && COMMIT.test(commit) ? commit : undefined };
}

async function readBody(
  body: ReadableStream<Uint8Array>,
  total: number | undefined,
  progress: (loaded: number) => void,
  url: string,
): Promise<Uint8Array> {
  const reader = body.getReader();
  // Preallocate when the size is known: avoids holding chunks plus a copy of a 400 MB file.
  let buf = new Uint8Array(total ?? 1 << 20);
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.byteLength > buf.byteLength) {
        if (total !== undefined) {
          throw new HubError(url, `server sent more than the announced ${total} bytes`);
        }
        const bigger = new Uint8Array(Math.max(buf.byteLength * 2, loaded + value.byteLength));
        bigger.set(buf.subarray(0, loaded));
        buf = bigger;
      }
      buf.set(value, loaded);
      loaded += value.byteLength;
      progress(loaded);
    }
  } catch (e) {
    if (e instanceof HubError) throw e;
    throw new HubError(url, `download interrupted after ${loaded} bytes: ${(e as Error).message}`);
  } finally {
    reader.releaseLock();
  }
  return loaded === buf.byteLength ? buf : buf.slice(0, loaded);
}
