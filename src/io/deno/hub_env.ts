/**
 * Hub settings from the process environment (Deno), for src/bert/hub.ts.
 *
 * - cache root, as Python's huggingface_hub chooses it: $HF_HUB_CACHE, else $HF_HOME/hub, else
 *   $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub (a model then lives in
 *   <root>/models--<owner>--<name>/snapshots/<commit>)
 * - endpoint: $HF_ENDPOINT (default https://huggingface.co)
 * - token: $HF_TOKEN (sent as Authorization: Bearer)
 * - offline: $HF_HUB_OFFLINE=1
 * @module
 */

import { DEFAULT_HUB_ENDPOINT, type HubOptions } from "../../bert/hub.ts";
import { DenoFileSystem } from "./fs.ts";

/** Read-only view of environment variables (injectable for tests). */
export type EnvGetter = (name: string) => string | undefined;

/** Hub cache root from the environment (see module doc). */
export function cacheRootFromEnv(env: EnvGetter = (k) => Deno.env.get(k)): string {
  const trim = (p: string) => p.replace(/\/+$/, "");
  const hubCache = env("HF_HUB_CACHE") || env("HUGGINGFACE_HUB_CACHE");
  if (hubCache) return trim(hubCache);
  const hfHome = env("HF_HOME");
  if (hfHome) return `${trim(hfHome)}/hub`;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return `${trim(xdg)}/huggingface/hub`;
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) throw new HomeNotFoundError();
  return `${trim(home)}/.cache/huggingface/hub`;
}

/** HubOptions for Deno: DenoFileSystem plus environment settings. */
export function hubOptionsFromEnv(
  overrides: Partial<HubOptions> = {},
  env: EnvGetter = (k) => Deno.env.get(k),
): HubOptions {
  const offline = env("HF_HUB_OFFLINE");
  return {
    fs: new DenoFileSystem(),
    cacheDir: cacheRootFromEnv(env),
    endpoint: env("HF_ENDPOINT") || DEFAULT_HUB_ENDPOINT,
    token: env("HF_TOKEN") || undefined,
    offline: offline === "1" || offline?.toLowerCase() === "true",
    ...overrides,
  };
}

/** Neither HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME nor HOME/USERPROFILE is set. */
export class HomeNotFoundError extends Error {
  constructor() {
    super("hub cache: set HF_HUB_CACHE (or HF_HOME / HOME) to choose where models are stored");
    this.name = "HomeNotFoundError";
  }
}
