// The browser half of generator/search/tokens.py: the same folding, segments and tokens, plus
// the source offsets of every token so that matches can be highlighted in the real text.
// Keep the two files in step; tests/search/test_tokens_js.py compares them.

const HAN = /[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
// Marks drawn over or under a letter; a spacing mark (ः, a visarga) is drawn beside it and breaks a word, as in tokens.py.
const MARK = /[\p{Mn}\p{Me}]/gu;
const FORMAT = /^\p{Cf}$/u;
// Python's str.split() whitespace, exactly.
const WHITESPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
// Python's str.splitlines() boundaries.
const LINE_BREAK = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/u;

export const GAP = "¶";

const foldCache = new Map();

export function fold(ch) {
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    // A format character (zero-width space, soft hyphen, bidirectional control …) is nothing, as in tokens.py.
    folded = FORMAT.test(ch) ? "" : ch.normalize("NFKC").toLowerCase().normalize("NFD").replace(MARK, "").normalize("NFC");
    foldCache.set(ch, folded);
  }
  return folded;
}

function kind(ch) {
  if (HAN.test(ch)) return "H";
  return LETTER_OR_DIGIT.test(ch) ? "W" : null;
}

// Maximal Han runs and letter/digit words of one line. Each folded character keeps the UTF-16
// range [start, end) of the source character it came from.
export function segments(line) {
  const out = [];
  let current = null;
  let offset = 0;
  for (const source of line) {
    const end = offset + source.length;
    for (const ch of fold(source)) {
      const k = kind(ch);
      if (current && current.kind !== k) {
        out.push(current);
        current = null;
      }
      if (k !== null) {
        current ??= { kind: k, chars: [], starts: [], ends: [] };
        current.chars.push(ch);
        current.starts.push(offset);
        current.ends.push(end);
      }
    }
    offset = end;
  }
  if (current) out.push(current);
  return out;
}

function hanTokens(seg, afterWord, complete) {
  const { chars, starts, ends } = seg;
  const tokens = [];
  const unigram = (i) => ({ text: chars[i], start: starts[i], end: ends[i], firstEnd: ends[i] });
  if (afterWord && chars.length >= 2) tokens.push(unigram(0));
  for (let i = 0; i + 1 < chars.length; i++) {
    tokens.push({ text: chars[i] + chars[i + 1], start: starts[i], end: ends[i + 1], firstEnd: ends[i] });
  }
  if (complete) tokens.push(unigram(chars.length - 1));
  return tokens;
}

// Index tokens of one line, each {text, start, end, firstEnd} in source offsets.
export function lineTokens(line) {
  const tokens = [];
  let previous = null;
  for (const seg of segments(line)) {
    if (seg.kind === "W") {
      const last = seg.chars.length - 1;
      tokens.push({ text: seg.chars.join(""), start: seg.starts[0], end: seg.ends[last], firstEnd: seg.ends[0] });
    } else {
      // One at a time: spread into push(), a line of 130,000 characters passed the engine's argument limit
      // (RangeError), and the results page failed for every query that listed its item.
      for (const token of hanTokens(seg, previous === "W", true)) tokens.push(token);
    }
    previous = seg.kind;
  }
  return tokens;
}

export function textTokens(text) {
  const out = [];
  for (const line of text.split(LINE_BREAK)) {
    const found = lineTokens(line).map((t) => t.text);
    if (found.length) {
      if (out.length) out.push(GAP);
      for (const token of found) out.push(token);
    }
  }
  return out;
}

// Query terms, as in tokens.py: {kind: "chain" | "prefix", tokens: [...]}.
export function queryTerms(query) {
  const terms = [];
  for (const part of query.split(WHITESPACE)) {
    const segs = segments(part);
    const tokens = [];
    let prefix = null;
    segs.forEach((seg, i) => {
      const last = i === segs.length - 1;
      const afterWord = i > 0 && segs[i - 1].kind === "W";
      if (seg.kind === "W") tokens.push(seg.chars.join(""));
      else if (last && seg.chars.length === 1 && !afterWord) prefix = seg.chars[0];
      else if (last && seg.chars.length === 1) tokens.push(seg.chars[0]);
      else for (const t of hanTokens(seg, afterWord, !last)) tokens.push(t.text);
    });
    if (tokens.length) terms.push({ kind: "chain", tokens });
    if (prefix !== null) terms.push({ kind: "prefix", tokens: [prefix] });
  }
  return terms;
}

// Every two consecutive tokens of which one is a word (letters or digits), as the vocabulary's pair keys
// (vocabulary.py's word_pairs): the shards that have the chain have each of them.
export function wordPairs(tokens) {
  const pairs = [];
  for (let i = 1; i < tokens.length; i++) {
    const [before, after] = [tokens[i - 1], tokens[i]];
    if (before !== GAP && after !== GAP && (!HAN.test(before) || !HAN.test(after))) pairs.push(`${before} ${after}`);
  }
  return pairs;
}

export function pagefindQuery(term) {
  // Quoted: Pagefind's exact phrase search. Unquoted single word: its prefix lookup.
  return term.kind === "chain" ? `"${term.tokens.join(" ")}"` : term.tokens[0];
}

// Source ranges [start, end) in `line` where any of the terms matches, in order, merged.
export function matchRanges(line, terms) {
  const tokens = lineTokens(line);
  const ranges = [];
  for (const term of terms) {
    const n = term.tokens.length;
    for (let i = 0; i < tokens.length; i++) {
      if (term.kind === "prefix") {
        if (tokens[i].text.startsWith(term.tokens[0])) ranges.push([tokens[i].start, tokens[i].firstEnd]);
        continue;
      }
      let k = 0;
      while (k < n && i + k < tokens.length && tokens[i + k].text === term.tokens[k]) k++;
      if (k === n) {
        let end = tokens[i].end;
        for (let j = i; j < i + n; j++) end = Math.max(end, tokens[j].end);
        ranges.push([tokens[i].start, end]);
      }
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged;
}
