/**
 * The data side of tagging: corpus readers (CoNLL, CoNLL-U, CSV) and text decoding, tag schemes
 * and entities, label maps, sub-word alignment, windows, encoding, batches, splits and the seeded
 * data-side generator. No tensors, no Deno API.
 * @module
 */
export * from "../errors.ts";
export * from "./alignment.ts";
export * from "./batching.ts";
export * from "./column_join.ts";
export * from "./conll_reader.ts";
export * from "./conllu_reader.ts";
export * from "./csv_reader.ts";
export * from "./csv_records.ts";
export * from "./encode_corpus.ts";
export * from "./entities.ts";
export * from "./label_map.ts";
export * from "./lines.ts";
export * from "./random.ts";
export * from "./sentence.ts";
export * from "./split.ts";
export * from "./tag_scheme.ts";
export * from "./text_decode.ts";
export * from "./windowing.ts";
