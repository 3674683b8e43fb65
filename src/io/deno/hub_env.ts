/**
 * Hub settings from the process environment (Deno), for src/bert/hub.ts.
 *
 * - cache root: $JOINTAG_CACHE, else $HF_HOME/jointag, else ~/.cache/jointag
 *   (a model then lives in <root>/models/<owner>/<name>)
 * - endpoint: $HF_ENDPOINT (default https://huggingface.co)
 * - token: $HF_TOKEN (sent as Authorization: Bearer)
 * - offline: $HF_HUB_OFFLINE=1
 * @module
 */

import { DEFAULT_HUB_ENDPOINT, type HubOptions } from "../../bert/hub.ts";
import { DenoFileSystem } from "./fs.ts";

/** Read-only view of environment variables (injectable for tests). */
export type EnvGetter = (name: string) => string | undefined;

/** Cache root from the environment (see module doc). */
export function cacheRootFromEnv(env: EnvGetter = (k) => Deno.env.get(k)): string {
  const jointag = env("JOINTAG_CACHE");
  if (jointag) return jointag;
  const hfHome = env("HF_HOME");
  if (hfHome) return `${hfHome.replace(/\/+$/, "")}/jointag`;
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) throw new HomeNotFoundError();
  return `${home}/.cache/jointag`;
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

/** Neither JOINTAG_CACHE, HF_HOME nor HOME/USERPROFILE is set. */
export class HomeNotFoundError extends Error {
  constructor() {
    super("hub cache: set JOINTAG_CACHE (or HF_HOME / HOME) to choose where models are stored");
    this.name = "HomeNotFoundError";
  }
}
