/**
 * Byte → text decoding for corpus files, with encoding detection and located errors.
 * @module
 */
import { DecodeError, TaggingArgumentError } from "./errors.ts";
import type { TextEncodingName } from "./sentence.ts";

/** Result of {@link decodeCorpus}: the text and the encoding actually used. */
export interface DecodedText {
  /** Decoded text without a byte-order mark. */
  text: string;
  /** `"utf-8"` or `"windows-1252"`. */
  encoding: "utf-8" | "windows-1252";
}

/**
 * Decodes corpus bytes. `"auto"` tries strict UTF-8 first because valid UTF-8 is almost never
 * accidental for non-ASCII text, then falls back to windows-1252 (which maps every byte, so it
 * cannot fail). A string input is returned unchanged (minus a leading BOM).
 */
export function decodeCorpus(
  input: string | Uint8Array,
  file: string,
  encoding: TextEncodingName = "auto",
): DecodedText {
  if (typeof input === "string") {
    return { text: stripBom(input), encoding: "utf-8" };
  }
  const enc = normaliseEncoding(encoding);
  if (enc === "windows-1252") {
    return { text: new TextDecoder("windows-1252").decode(input), encoding: enc };
  }
  try {
    // The default (non-ignoreBOM) decoder already drops a UTF-8 BOM.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(input), encoding: "utf-8" };
  } catch {
    if (enc === "auto") {
      return { text: new TextDecoder("windows-1252").decode(input), encoding: "windows-1252" };
    }
    const offset = firstInvalidUtf8(input);
    throw new DecodeError(file, lineOfByte(input, offset), offset, "utf-8");
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function normaliseEncoding(e: TextEncodingName): "auto" | "utf-8" | "windows-1252" {
  switch (e) {
    case "auto":
    case "utf-8":
    case "windows-1252":
      return e;
    case "cp1252":
    case "latin1":
    case "iso-8859-1":
      return "windows-1252";
    default:
      throw new TaggingArgumentError("decodeCorpus", `unsupported encoding ${JSON.stringify(e)}`);
  }
}

/** 1-based line number of byte `offset` (counts LF bytes before it). */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Offset of the first byte that starts an invalid UTF-8 sequence (overlongs, surrogates and
 * code points above U+10FFFF count as invalid, matching the WHATWG fatal decoder).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return n;
}
