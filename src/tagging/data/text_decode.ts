/**
 * Byte → text decoding for corpus files, with encoding detection and located errors.
 * @module
 */
import { DecodeError, TaggingArgumentError } from "../errors.ts";
import type { TextEncodingName } from "./sentence.ts";

/** An encoding {@link decodeCorpus} can end up using. */
export type DecodedEncoding = "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";

/** Result of {@link decodeCorpus}: the text and the encoding actually used. */
export interface DecodedText {
  /** Decoded text without a byte-order mark. */
  text: string;
  /** The encoding used. */
  encoding: DecodedEncoding;
  /** Set when the bytes started with a byte-order mark (which chose or confirmed the encoding). */
  bom?: true;
}

/**
 * Decodes corpus bytes. `"auto"` follows a byte-order mark (UTF-8, UTF-16 LE/BE), then recognises
 * BOM-less UTF-16 by its zero bytes (ASCII-heavy text in UTF-16 has a 0 in every other byte), then
 * tries strict UTF-8 because valid UTF-8 is almost never accidental for non-ASCII text, and last
 * falls back to windows-1252 (which maps every byte, so it cannot fail). A string input is
 * returned unchanged (minus a leading BOM).
 * @throws DecodeError naming the line and byte offset when a named encoding does not fit.
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
  const bom = bomOf(input);
  if (enc === "utf-16le" || enc === "utf-16be" || (enc === "auto" && bom?.startsWith("utf-16"))) {
    return decodeUtf16(
      input,
      file,
      enc === "auto" ? bom as "utf-16le" | "utf-16be" : enc,
      bom !== undefined,
    );
  }
  if (enc === "auto" && bom === undefined) {
    const guess = utf16Guess(input);
    if (guess) return decodeUtf16(input, file, guess, false);
  }
  try {
    // The default (non-ignoreBOM) decoder already drops a UTF-8 BOM.
    const text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    return bom === "utf-8" ? { text, encoding: "utf-8", bom: true } : { text, encoding: "utf-8" };
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

function bomOf(b: Uint8Array): DecodedEncoding | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return "utf-8";
  if (b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return undefined;
}

/**
 * "utf-16le"/"utf-16be" when the first bytes look like BOM-less UTF-16: an even length and zero
 * bytes in at least 40% of the odd (LE) or even (BE) positions but almost none in the others.
 * Plain UTF-8 or windows-1252 text has no zero bytes at all.
 */
function utf16Guess(b: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4 || b.length % 2 !== 0) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= 0.4 * pairs && evenZeros <= 0.05 * pairs) return "utf-16le";
  if (evenZeros >= 0.4 * pairs && oddZeros <= 0.05 * pairs) return "utf-16be";
  return undefined;
}

function decodeUtf16(
  b: Uint8Array,
  file: string,
  enc: "utf-16le" | "utf-16be",
  bom: boolean,
): DecodedText {
  try {
    // The default decoder drops a BOM of its own byte order.
    const text = new TextDecoder(enc, { fatal: true }).decode(b);
    return bom ? { text, encoding: enc, bom: true } : { text, encoding: enc };
  } catch {
    const offset = firstInvalidUtf16(b, enc === "utf-16le");
    throw new DecodeError(file, lineOfUtf16Unit(b, offset, enc === "utf-16le"), offset, enc);
  }
}

/** Byte offset of an odd trailing byte or of the first unpaired surrogate. */
function firstInvalidUtf16(b: Uint8Array, le: boolean): number {
  const unit = (i: number) => le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1];
  for (let i = 0; i + 1 < b.length; i += 2) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 3 < b.length ? unit(i + 2) : -1;
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 2;
    } else if (u >= 0xdc00 && u <= 0xdfff) return i;
  }
  return b.length - 1;
}

function lineOfUtf16Unit(b: Uint8Array, offset: number, le: boolean): number {
  let line = 1;
  for (let i = 0; i + 1 < offset; i += 2) {
    if ((le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]) === 10) line++;
  }
  return line;
}

/** The encoding names `--encoding` and {@link decodeCorpus} accept. */
export const ENCODING_NAMES: readonly TextEncodingName[] = [
  "auto",
  "utf-8",
  "utf-16le",
  "utf-16be",
  "windows-1252",
  "cp1252",
  "latin1",
  "iso-8859-1",
];

function normaliseEncoding(
  e: TextEncodingName,
): "auto" | "utf-8" | "windows-1252" | "utf-16le" | "utf-16be" {
  switch (e) {
    case "auto":
    case "utf-8":
    case "windows-1252":
    case "utf-16le":
    case "utf-16be":
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
