/**
 * Resolving a Hugging Face model id (e.g. "google/bert_uncased_L-2_H-128_A-2") or a local
 * folder to a folder holding config.json, a tokenizer and weights, downloading missing files
 * from `{endpoint}/{id}/resolve/{revision}/{file}`. Network goes through the web `fetch`
 * API; files through the {@link FileSystem} interface, so this module runs in browsers too.
 * Environment lookup (HF_ENDPOINT, HF_TOKEN, cache folder) is in src/io/deno/hub_env.ts.
 * @module
 */

import { HubError } from "./errors.ts";
import { type FileSystem, joinPath } from "./file_system.ts";

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
  fs: FileSystem;
  /** Cache root; a model lands in `<cacheDir>/models/<id>` (`<id>@<revision>` if not main). */
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

/** Files downloaded into a model folder, in fallback groups: first existing name wins. */
export const MODEL_FILE_GROUPS: ReadonlyArray<{ names: readonly string[]; required: boolean }> = [
  { names: ["config.json"], required: true },
  { names: ["tokenizer.json", "vocab.txt"], required: true },
  // Only consulted when the tokenizer comes from vocab.txt: it says whether to lower-case.
  { names: ["tokenizer_config.json"], required: false },
  { names: ["model.safetensors", "pytorch_model.bin"], required: true },
];

/** True when `s` looks like a filesystem path rather than a hub id. */
export function isLocalPath(s: string): boolean {
  return /^(\/|\.{1,2}(\/|$)|~\/|[A-Za-z]:[\\/]|\\\\)/.test(s);
}

const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** Cache folder of a model id for a revision. @throws HubError on an invalid id */
export function modelCacheDir(cacheDir: string, id: string, revision = "main"): string {
  if (
    !MODEL_ID.test(id) || id.split("/").some((p) => p === "." || p === ".." || p.endsWith(".."))
  ) {
    throw new HubError(id, 'not a valid model id (expected "name" or "owner/name")');
  }
  return joinPath(
    cacheDir,
    "models",
    revision === "main" ? id : `${id}@${revision.replaceAll("/", "--")}`,
  );
}

/**
 * Resolve a model id or local folder to a folder containing config.json, a tokenizer
 * (tokenizer.json or vocab.txt) and weights (model.safetensors or pytorch_model.bin),
 * downloading whatever is missing.
 * @returns the folder path
 * @throws HubError when the model or a required file cannot be found or downloaded
 */
export async function resolveModel(idOrPath: string, options: HubOptions): Promise<string> {
  const { fs } = options;
  // Like transformers' from_pretrained, an existing local folder wins over a hub id.
  if (
    isLocalPath(idOrPath) || !MODEL_ID.test(idOrPath) ||
    (await fs.exists(joinPath(idOrPath, "config.json")))
  ) {
    if (!(await fs.exists(joinPath(idOrPath, "config.json")))) {
      throw new HubError(idOrPath, "local model folder has no config.json");
    }
    return idOrPath;
  }
  const revision = options.revision ?? "main";
  const dir = modelCacheDir(options.cacheDir, idOrPath, revision);
  await fs.mkdirp(dir);
  for (const group of MODEL_FILE_GROUPS) {
    let present = false;
    for (const name of group.names) {
      if (await fs.exists(joinPath(dir, name))) {
        present = true;
        break;
      }
    }
    if (present) continue;
    if (
      group.names[0] === "tokenizer_config.json" &&
      (await fs.exists(joinPath(dir, "tokenizer.json")))
    ) {
      continue;
    }
    if (options.offline) {
      if (!group.required) continue;
      throw new HubError(
        idOrPath,
        `offline and ${group.names.join(" / ")} is not in the cache folder ${dir}`,
      );
    }
    const tried: string[] = [];
    for (const name of group.names) {
      const url = fileUrl(options.endpoint ?? DEFAULT_HUB_ENDPOINT, idOrPath, revision, name);
      tried.push(url);
      if (await downloadFile(url, joinPath(dir, name), { ...options, file: name })) {
        present = true;
        break;
      }
    }
    if (!present && group.required) {
      throw new HubError(
        idOrPath,
        group.names[0] === "config.json"
          ? `model not found (404 for ${tried[0]}); check the id and revision "${revision}"`
          : `none of ${group.names.join(", ")} exists in the repository (tried ${
            tried.join(", ")
          })`,
        404,
      );
    }
  }
  return dir;
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
    return false;
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
  await options.fs.writeFileAtomic(dest, bytes);
  options.onProgress?.({ file, loaded: bytes.byteLength, total, done: true });
  return true;
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
