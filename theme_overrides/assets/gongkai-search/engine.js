// Search over the sharded bundle written by generator/search/build.py (see generator/search/README.md).
//
// Every shard is a Pagefind "language" inside one bundle and covers a range of dates; the manifest
// lists them newest first. A query first looks its tokens up in the vocabulary (which shards have
// each token, and each pair of a word and its neighbour) and opens only the shards that have all of them, newest first (oldest first for the
// ascending order), a few at a time. Each shard's hits come back sorted by date, so the hits of the
// shards finished in order so far are the first results of the whole list: the page shows them as
// soon as they fill it, and the total once every shard has answered. Facets (主题分类, 发布机构,
// 年份) of a shard's results come from a small per-shard table, and what a result shows from one
// small file per result; Pagefind's own fragments are not used.
//
// A rebuild may add a delta shard (manifest.delta): the documents edited or added since the other
// shards were indexed, each with its home shard (a column of its facet table). Its hits are found
// first and merged by sort key (order/<shard>) into their home shard's, so the results are in the
// order a full build gives.

import { pagefindQuery, queryTerms, wordPairs } from "./tokens.js";

const MANIFEST = "gongkai-search.json";
const FACETS = ["category", "department", "year"];
// Shards searched at the same time: network requests overlap while Pagefind's single worker
// searches one shard after another.
const PARALLEL_SHARDS = 3;
// The key under which the vocabulary lists a Han character for a one-character (prefix) query.
const PREFIX_MARK = "*";
// A one-character query is a prefix lookup, and Pagefind loads only the index chunk where the
// character itself would sit, while the words starting with it may fill several. Preloading
// words spread over the range of second characters loads most of those chunks.
const PREFIX_PROBES = Array.from({ length: 16 }, (_, i) => String.fromCodePoint(0x4e00 + i * 0x0540 + 0x0540));

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// FNV-1a (32 bit) of the UTF-8 bytes, modulo the number of buckets: vocabulary.py's bucket_of.
export function bucketOf(token, buckets) {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(token)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % buckets;
}

// "0-2,5" → [0, 1, 2, 5]
export function parseRanges(text) {
  const out = [];
  for (const part of text ? text.split(",") : []) {
    const [start, end = start] = part.split("-").map(Number);
    for (let n = start; n <= end; n++) out.push(n);
  }
  return out;
}

// gongkai's files are stored gzip'd; a server that sent one with Content-Encoding: gzip has had
// it unpacked by the browser already.
async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const fetchText = async (url) => decoder.decode(await fetchBytes(url));
const fetchJson = async (url) => JSON.parse(await fetchText(url));

// pagefind.js reads the query language from <html lang> when an instance is created and would
// segment the query as Chinese for "zh-CN". The shard's own language is shown to it for that
// synchronous call only, so people and screen readers keep zh-CN.
function withDocumentLanguage(language, create) {
  const html = document.documentElement;
  const original = html.getAttribute("lang");
  html.setAttribute("lang", language);
  try {
    return create();
  } finally {
    if (original === null) html.removeAttribute("lang");
    else html.setAttribute("lang", original);
  }
}

function intersect(sets) {
  let out = null;
  for (const set of sets) out = out === null ? new Set(set) : new Set([...out].filter((n) => set.has(n)));
  return out ?? new Set();
}

export class SearchIndex {
  static async open(indexUrl) {
    const url = new URL(indexUrl, location.href);
    // Revalidated on every visit: it names the build whose files the page then asks for.
    const response = await fetch(new URL(MANIFEST, url), { cache: "no-cache" });
    if (!response.ok) throw new Error(`${MANIFEST}: HTTP ${response.status}`);
    return new SearchIndex(url, await response.json());
  }

  constructor(url, manifest) {
    this.url = url;
    this.manifest = manifest;
    this.shards = manifest.shards.map((shard, number) => ({ ...shard, number }));
    this.delta = manifest.delta ? { ...manifest.delta } : null;
    this.orders = new Map();
    this.instances = new Map();
    this.buckets = new Map();
    this.tables = new Map();
    this.lists = new Map();
    this.facets = {};
    for (const field of FACETS) {
      this.facets[field] = (manifest.facets[field] || []).map(([value, documents, shards]) => ({
        value,
        documents,
        shards: new Set(parseRanges(shards)),
      }));
    }
  }

  get documents() {
    return this.manifest.documents;
  }

  dataUrl(path) {
    return new URL(`${this.manifest.data}${path}${this.manifest.suffix}?v=${this.manifest.build}`, this.url);
  }

  // The shards (numbers) whose vocabulary has `key`.
  async shardsWith(key) {
    const number = bucketOf(key, this.manifest.vocabulary);
    if (!this.buckets.has(number)) {
      const bucket = fetchText(this.dataUrl(`vocabulary/${number}`)).then((text) => {
        const map = new Map();
        for (const line of text.split("\n")) {
          const tab = line.indexOf("\t");
          if (tab > 0) map.set(line.slice(0, tab), line.slice(tab + 1));
        }
        return map;
      });
      this.buckets.set(number, bucket);
    }
    return new Set(parseRanges((await this.buckets.get(number)).get(key) ?? ""));
  }

  // The shards that have every token of every term, and every pair of its tokens the vocabulary lists.
  async candidates(terms) {
    const keys = new Set();
    for (const term of terms) {
      if (term.kind === "prefix") keys.add(term.tokens[0] + PREFIX_MARK);
      else for (const key of [...term.tokens, ...wordPairs(term.tokens)]) keys.add(key);
    }
    return intersect(await Promise.all([...keys].map((key) => this.shardsWith(key))));
  }

  instance(shard) {
    if (!this.instances.has(shard.language)) {
      // pagefind.js keeps one WebAssembly instance per worker and replaces it if two instances
      // load it at once, corrupting the first; so every other shard waits until the first has
      // loaded (init() returns before that; an empty search waits for it and returns nothing).
      const first = this.firstInstance;
      const created = (async () => {
        await first;
        this.module ??= import(new URL("pagefind.js", this.url).href);
        const pagefind = await this.module;
        const instance = withDocumentLanguage(shard.language, () =>
          pagefind.createInstance({ basePath: this.url.pathname, metaCacheTag: this.manifest.build }),
        );
        await instance.init();
        await instance.search("");
        return instance;
      })();
      this.firstInstance ??= created.catch(() => {});
      this.instances.set(shard.language, created);
    }
    return this.instances.get(shard.language);
  }

  // Result ids of one term in one shard, in date order.
  async termIds(shard, term, order) {
    const instance = await this.instance(shard);
    if (term.kind === "prefix") {
      await Promise.all(PREFIX_PROBES.map((probe) => instance.preload(term.tokens[0] + probe)));
    }
    const response = await instance.search(pagefindQuery(term), { sort: { date: order } });
    // Only the ids are kept: Pagefind's worker frees a result's data once its object is collected.
    return response.results.map((result) => result.id);
  }

  // Result ids of one shard that match all terms, in date order.
  async shardIds(shard, terms, order) {
    const lists = await Promise.all(terms.map((term) => this.termIds(shard, term, order)));
    const others = lists.slice(1).map((list) => new Set(list));
    return lists[0].filter((id) => others.every((ids) => ids.has(id)));
  }

  // The facet values of a shard's results: {row: Map(id → row), category: {values, of}, …}.
  table(shard) {
    if (!this.tables.has(shard.language)) {
      const table = fetchJson(this.dataUrl(`facets/${shard.language}`)).then((data) => ({
        ...data,
        row: new Map(data.ids.map((id, row) => [id, row])),
      }));
      this.tables.set(shard.language, table);
    }
    return this.tables.get(shard.language);
  }

  // Map(id → sort key) of a shard's results.
  orderOf(shard) {
    if (!this.orders.has(shard.language)) {
      this.orders.set(shard.language, fetchJson(this.dataUrl(`order/${shard.language}`)).then((pairs) => new Map(pairs)));
    }
    return this.orders.get(shard.language);
  }

  // The delta shard's hits of `terms`: {ids (unfiltered, in date order), homes: Map(home shard language
  // → [{id, key}] of the hits the filters keep, in date order)}.
  async deltaHits(terms, order, active) {
    const ids = await this.shardIds(this.delta, terms, order);
    const homes = new Map();
    if (!ids.length) return { ids, homes };
    const [table, keys] = await Promise.all([this.table(this.delta), this.orderOf(this.delta)]);
    for (const id of ids) {
      const row = table.row.get(id);
      if (active.every(([field, facet]) => table[field].values[table[field].of[row]] === facet.value)) {
        const home = table.home[row];
        if (!homes.has(home)) homes.set(home, []);
        homes.get(home).push({ id, key: keys.get(id) });
      }
    }
    return { ids, homes };
  }

  // A shard's kept hits (ids in date order) with the delta's hits of that shard merged in by sort key.
  async merged(shard, ids, incoming, order) {
    const own = ids.map((id) => ({ id, shard }));
    if (!incoming?.length) return own;
    const fromDelta = incoming.map(({ id }) => ({ id, shard: this.delta }));
    if (!ids.length) return fromDelta;
    const keys = await this.orderOf(shard);
    const first = (a, b) => (order === "asc" ? a < b : a > b);
    const out = [];
    let i = 0;
    let j = 0;
    while (i < ids.length || j < incoming.length) {
      if (j >= incoming.length || (i < ids.length && first(keys.get(ids[i]), incoming[j].key))) out.push(own[i++]);
      else out.push(fromDelta[j++]);
    }
    return out;
  }

  facet(field, value) {
    return this.facets[field].find((f) => f.value === value);
  }

  // Searches newest first (or oldest first for order "asc") and resolves to
  // {terms, hits: [{id, shard}], unfiltered: [{shard, ids}], total}. `progress(hits)` is called
  // with the hits known to come first whenever more of them are known, and may return a promise (the
  // first page being drawn) that delays opening more shards until it settles; `current()` turning false
  // stops the search (it then resolves to null). filters: {category?, department?, year?} by value.
  async search(query, { filters = {}, order = "desc", progress = () => {}, current = () => true } = {}) {
    const terms = queryTerms(query);
    const none = { terms, hits: [], unfiltered: [], total: 0 };
    if (!terms.length) return none;
    const active = FACETS.filter((field) => filters[field]).map((field) => [field, this.facet(field, filters[field])]);
    if (active.some(([, facet]) => !facet)) return none;
    const candidates = await this.candidates(terms);
    if (!current()) return null;
    // The delta's hits are known before any page is shown: each one's place is in its home shard's.
    const delta = this.delta && candidates.has(this.delta.number) ? await this.deltaHits(terms, order, active) : null;
    if (!current()) return null;
    const homes = delta?.homes ?? new Map();
    const ordered = this.shards.filter((shard) => candidates.has(shard.number) || homes.has(shard.language));
    if (order === "asc") ordered.reverse();
    // Shards that can hold filtered results come first: the page waits for those only.
    const wanted = ordered.filter(
      (shard) => homes.has(shard.language) || active.every(([, facet]) => facet.shards.has(shard.number)),
    );
    const rest = ordered.filter((shard) => !wanted.includes(shard));
    const queue = [...wanted, ...rest];

    const found = new Map(); // shard number → {ids, kept}
    const hits = [];
    let ready = 0; // wanted shards whose hits are in `hits`
    let drawing = null; // what `progress` returned: the caller drawing the first page
    const searchShard = async (shard) => {
      const ids = candidates.has(shard.number) ? await this.shardIds(shard, terms, order) : [];
      let kept = wanted.includes(shard) ? ids : [];
      for (const [field, facet] of active) {
        if (!kept.length) break;
        const table = await this.table(shard);
        const column = table[field];
        const value = column.values.indexOf(facet.value);
        kept = kept.filter((id) => column.of[table.row.get(id)] === value);
      }
      const shown = wanted.includes(shard) ? await this.merged(shard, kept, homes.get(shard.language), order) : [];
      found.set(shard.number, { ids, kept: shown });
      const before = ready;
      while (ready < wanted.length && found.has(wanted[ready].number)) {
        for (const hit of found.get(wanted[ready].number).kept) hits.push(hit);
        ready++;
      }
      if (ready > before && current()) {
        const drawn = progress(hits);
        if (drawn) drawing = Promise.resolve(drawn).catch(() => {});
      }
    };
    const lane = async () => {
      while (queue.length && current()) {
        // The page being drawn fetches its results' files and renders them: the shards after it wait
        // rather than share the network and the main thread with it.
        if (drawing) await drawing;
        if (queue.length && current()) await searchShard(queue.shift());
      }
    };
    // The first shard is searched alone: the others' Pagefind instances wait for its WebAssembly
    // anyway (instance()), and most queries fill their first page from it.
    if (queue.length && current()) await searchShard(queue.shift());
    await Promise.all(Array.from({ length: PARALLEL_SHARDS }, lane));
    if (!current()) return null;
    const unfiltered = ordered.map((shard) => ({ shard, ids: found.get(shard.number).ids }));
    if (delta) unfiltered.push({ shard: this.delta, ids: delta.ids });
    const total = unfiltered.reduce((n, { ids }) => n + ids.length, 0);
    return { terms, hits, unfiltered, total };
  }

  // For every facet value, how many of the unfiltered hits have it: {field: Map(value → n)}.
  async facetCounts(unfiltered) {
    const counts = Object.fromEntries(FACETS.map((field) => [field, new Map()]));
    const tables = await Promise.all(unfiltered.map(({ shard, ids }) => (ids.length ? this.table(shard) : null)));
    unfiltered.forEach(({ ids }, n) => {
      const table = tables[n];
      if (!table) return;
      for (const field of FACETS) {
        const { values, of } = table[field];
        const perValue = new Array(values.length).fill(0);
        for (const id of ids) perValue[of[table.row.get(id)]]++;
        values.forEach((value, v) => counts[field].set(value, (counts[field].get(value) ?? 0) + perValue[v]));
      }
    });
    return counts;
  }

  // What a hit shows: {url (site-relative), href, title, date, category, department, index_no,
  // doc_no, lines (body text)}.
  async load(hit) {
    const data = await fetchJson(this.dataUrl(`doc/${hit.id}`));
    return { ...data, href: new URL(data.url, new URL("..", this.url)).pathname };
  }

  // {url, title, date} of many hits at once, from the shards' result lists rather than one
  // file per hit.
  async listed(hits) {
    const out = [];
    for (const hit of hits) {
      const key = hit.shard.language;
      if (!this.lists.has(key)) this.lists.set(key, fetchJson(this.dataUrl(`list/${key}`)));
      const [url, title, date] = (await this.lists.get(key))[hit.id];
      out.push({ url, title, date });
    }
    return out;
  }
}
