/**
 * `--model` as a folder or a Hugging Face hub id (resolved through the hub cache, downloaded when
 * missing), and `--revision`.
 * @module
 */
import { HubError, isLocalPath, type ResolvedModel, resolveModelSource } from "../bert.ts";
import { hubOptionsFromEnv } from "../deno.ts";
import { ArgumentError, type FlagSpec } from "./args.ts";
import { fs } from "./files.ts";

/** The `--revision` flag. */
export const REVISION_FLAG: Record<string, FlagSpec> = {
  revision: {
    type: "string",
    value: "rev",
    help: "branch, tag or commit of a hub --model",
    default: "main",
  },
};

/**
 * The folder of `--model`: an existing folder as is, else a hub id through the cache.
 * @throws ArgumentError for a missing folder; HubError when a hub id cannot be resolved
 */
export async function resolveModelFlag(
  model: string,
  revision: string | undefined,
): Promise<ResolvedModel> {
  const isDir = await Deno.stat(model).then((s) => s.isDirectory, () => false);
  if (isDir || isLocalPath(model)) {
    if (revision !== undefined) throw new ArgumentError("--revision applies to hub ids only");
    if (!isDir) throw new ArgumentError(`--model ${model}: no such folder`);
    return await resolveModelSource(model, hubOptionsFromEnv({ fs }));
  }
  try {
    return await resolveModelSource(model, hubOptionsFromEnv({ fs, revision }));
  } catch (e) {
    if (!(e instanceof HubError)) throw e;
    throw new HubError(
      `--model ${model}`,
      `no such folder, and as a hub id: ${e.message}`,
      e.status,
    );
  }
}
