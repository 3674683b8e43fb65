/**
 * Sentences (first column) of a CoNLL-2003 file, -DOCSTART- skipped — the same selection
 * logic as tools/tokenizer_fixture.py, whose fixtures refer to sentences by index.
 */
export function conllSentences(text: string): string[][] {
  const sents: string[][] = [];
  let cur: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) {
      if (cur.length) sents.push(cur);
      cur = [];
      continue;
    }
    const w = line.split(" ")[0];
    if (w !== "-DOCSTART-") cur.push(w);
  }
  if (cur.length) sents.push(cur);
  return sents;
}
