// The browser half of generator/search/tokens.py: the same folding, segments and tokens, plus
// the source offsets of every token so that matches can be highlighted in the real text.
// Keep the two files in step; tests/search/test_tokens_js.py compares them.

const HAN = /[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
// Marks drawn over or under a letter; a spacing mark (ः, a visarga) is drawn beside it and breaks a word, as in tokens.py.
const MARK = /[\p{Mn}\p{Me}]/gu;
// A format character, the object replacement character, an unassigned default-ignorable and a control that is no
// blank or line break: drawn as nothing, read past by the scans (tokens.py's _READ_PAST).
const FORMAT = /^[\p{Cf}\ufffc\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u2065\ufff0-\ufff8\u{e0000}\u{e0002}-\u{e001f}\u{e0080}-\u{e00ff}\u{e01f0}-\u{e0fff}]$/u;
// Python's str.split() whitespace, exactly.
const WHITESPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
// Python's str.splitlines() boundaries.
const LINE_BREAK = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/u;

export const GAP = "¶";

const foldCache = new Map();

export function fold(ch) {
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    // A format character (zero-width space, soft hyphen, bidirectional control …) or U+FFFC … is nothing, as in tokens.py.
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
    const found = [tokens.length ? { kind: "chain", tokens } : null, prefix !== null ? { kind: "prefix", tokens: [prefix] } : null];
    for (const term of found) {
      // A term given twice asks nothing more: 50 times the same word was 50 searches of every shard.
      if (term && !terms.some((t) => t.kind === term.kind && t.tokens.join(" ") === term.tokens.join(" "))) terms.push(term);
    }
  }
  return terms;
}

// Only words of at most this many characters are paired (tokens.py's PAIRED_WORD).
const PAIRED_WORD = 4;

// Every two consecutive tokens of which one is a word (letters or digits), neither longer than PAIRED_WORD
// characters, as the vocabulary's pair keys (vocabulary.py's word_pairs): the shards that have the chain have each.
export function wordPairs(tokens) {
  const pairs = [];
  const short = (token) => [...token].length <= PAIRED_WORD; // characters, not UTF-16 units
  for (let i = 1; i < tokens.length; i++) {
    const [before, after] = [tokens[i - 1], tokens[i]];
    if (before !== GAP && after !== GAP && (!HAN.test(before) || !HAN.test(after)) && short(before) && short(after)) {
      pairs.push(`${before} ${after}`);
    }
  }
  return pairs;
}

export function pagefindQuery(term) {
  // Quoted: Pagefind's exact phrase search. Unquoted single word: its prefix lookup.
  return term.kind === "chain" ? `"${term.tokens.join(" ")}"` : term.tokens[0];
}

// Source ranges [start, end) in `line` where any of the terms matches, in order, merged; only those that start within
// `span` characters after the first (an excerpt shows no more). One pass over the line's tokens, each looked up once
// whatever the query: a query of 50 times the same character over a line of 100,000 took the page 22 s and 226 MB.
export function matchRanges(line, terms, span = Infinity) {
  const prefixes = new Set();
  const chains = new Map(); // first token → the chains that start with it (queryTerms gives each term once)
  for (const term of terms) {
    if (term.kind === "prefix") prefixes.add(term.tokens[0]);
    else chains.set(term.tokens[0], [...(chains.get(term.tokens[0]) ?? []), term.tokens]);
  }
  const tokens = lineTokens(line);
  const merged = [];
  let until = Infinity;
  for (let i = 0; i < tokens.length && tokens[i].start <= until; i++) {
    const token = tokens[i];
    let end = prefixes.has(String.fromCodePoint(token.text.codePointAt(0))) ? token.firstEnd : -1;
    for (const chain of chains.get(token.text) ?? []) {
      let k = 1;
      while (k < chain.length && i + k < tokens.length && tokens[i + k].text === chain[k]) k++;
      if (k < chain.length) continue;
      for (let j = i; j < i + chain.length; j++) end = Math.max(end, tokens[j].end);
    }
    if (end < 0) continue;
    if (until === Infinity) until = token.start + span;
    const last = merged[merged.length - 1];
    // Tokens come in the order of their starts: a range starting inside the last one extends it.
    if (last && token.start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([token.start, end]);
  }
  return merged;
}
