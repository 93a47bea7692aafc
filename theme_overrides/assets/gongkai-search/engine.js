// Search over the sharded Pagefind bundle written by generator/search/build.py.
//
// Every shard is a Pagefind "language" (zxx-x-sN) inside one bundle. A shard is searched through
// its own Pagefind instance; each returns its hits sorted by date, and since shards hold
// consecutive date ranges (newest shard first), concatenating them gives the date order of all
// results. Facets (主题分类, 发布机构, 年份) are index words, so filtering and counting are set
// operations on hit ids.

import { pagefindQuery, queryTerms } from "./tokens.js";

const MANIFEST = "gongkai-search.json";
const FACETS = ["category", "department", "year"];
// A one-character query is a prefix lookup, and Pagefind loads only the index chunk where the
// character itself would sit, while the words starting with it may fill several. Preloading
// words spread over the range of second characters loads most of those chunks.
const PREFIX_PROBES = Array.from({ length: 16 }, (_, i) => String.fromCodePoint(0x4e00 + i * 0x0540 + 0x0540));

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

export class SearchIndex {
  static async open(indexUrl) {
    const url = new URL(indexUrl, location.href);
    const response = await fetch(new URL(MANIFEST, url));
    if (!response.ok) throw new Error(`${MANIFEST}: HTTP ${response.status}`);
    return new SearchIndex(url, await response.json());
  }

  constructor(url, manifest) {
    this.url = url;
    this.manifest = manifest;
    this.instances = new Map();
    this.facetIds = new Map();
    this.lists = new Map();
    this.facets = {};
    for (const field of FACETS) {
      this.facets[field] = (manifest.facets[field] || []).map(([value, documents, token]) => ({ value, documents, token }));
    }
  }

  // The path of the site root as Pagefind reports result URLs (the bundle's parent directory).
  get sitePath() {
    return new URL("..", this.url).pathname;
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

  async run(shard, query) {
    const instance = await this.instance(shard);
    const response = await instance.search(query, { sort: { date: "desc" } });
    return response.results;
  }

  async runTerm(shard, term) {
    if (term.kind === "prefix") {
      const instance = await this.instance(shard);
      await Promise.all(PREFIX_PROBES.map((probe) => instance.preload(term.tokens[0] + probe)));
    }
    return this.run(shard, pagefindQuery(term));
  }

  // Hits of one shard for all terms (AND), newest first.
  async shardHits(shard, terms) {
    const lists = await Promise.all(terms.map((term) => this.runTerm(shard, term)));
    const others = lists.slice(1).map((list) => new Set(list.map((hit) => hit.id)));
    return lists[0].filter((hit) => others.every((ids) => ids.has(hit.id)));
  }

  // How many of the shard's documents have this facet value (from the manifest).
  shardCount(shard, field, facet) {
    return shard.facets?.[field]?.[facet.value] ?? 0;
  }

  // Ids of the shard's documents with this facet value, or null when all of them have it.
  async idsWith(shard, field, facet) {
    if (this.shardCount(shard, field, facet) === shard.documents) return null;
    const key = `${shard.language} ${facet.token}`;
    if (!this.facetIds.has(key)) {
      this.facetIds.set(key, this.run(shard, `"${facet.token}"`).then((hits) => new Set(hits.map((h) => h.id))));
    }
    return this.facetIds.get(key);
  }

  facet(field, value) {
    return this.facets[field].find((f) => f.value === value);
  }

  // {terms, hits: [{id, result, shard}], unfiltered: [{shard, hits}]}; hits newest first unless
  // order is "asc". filters: {category?, department?, year?} by value.
  async search(query, { filters = {}, order = "desc" } = {}) {
    const terms = queryTerms(query);
    if (!terms.length) return { terms, hits: [], unfiltered: [] };
    const active = FACETS.filter((field) => filters[field]).map((field) => [field, this.facet(field, filters[field])]);
    if (active.some(([, facet]) => !facet)) return { terms, hits: [], unfiltered: [] };
    const shards = this.manifest.shards.filter((shard) => !filters.year || shard.years.includes(filters.year));
    const unfiltered = await Promise.all(shards.map(async (shard) => ({ shard, hits: await this.shardHits(shard, terms) })));
    const kept = await Promise.all(
      unfiltered.map(async ({ shard, hits }) => {
        // Keep Pagefind's result objects themselves: once one is garbage-collected, Pagefind's
        // worker frees its data.
        let out = hits.map((result) => ({ id: result.id, result, shard }));
        for (const [field, facet] of active) {
          if (!out.length) break;
          if (this.shardCount(shard, field, facet) === 0) return [];
          const ids = await this.idsWith(shard, field, facet);
          if (ids) out = out.filter((hit) => ids.has(hit.id));
        }
        return out;
      }),
    );
    const hits = kept.flat();
    if (order === "asc") hits.reverse();
    return { terms, hits, unfiltered };
  }

  // For every facet value, how many of the unfiltered hits have it: {field: Map(value → n)}.
  async facetCounts(unfiltered) {
    const jobs = [];
    for (const field of FACETS) {
      for (const facet of this.facets[field]) {
        for (const { shard, hits } of unfiltered) {
          if (hits.length && this.shardCount(shard, field, facet) > 0) {
            jobs.push(this.idsWith(shard, field, facet).then((ids) => [field, facet.value, ids, hits]));
          }
        }
      }
    }
    const counts = Object.fromEntries(FACETS.map((field) => [field, new Map()]));
    for (const [field, value, ids, hits] of await Promise.all(jobs)) {
      const n = ids ? hits.filter((hit) => ids.has(hit.id)).length : hits.length;
      counts[field].set(value, (counts[field].get(value) ?? 0) + n);
    }
    return counts;
  }

  // A hit's stored data: {url (site-relative), href, title, date, category, department,
  // index_no, doc_no, lines (body text)}.
  async load(hit) {
    const data = await hit.result.data();
    const meta = data.meta || {};
    const sitePath = this.sitePath;
    return {
      url: data.url.startsWith(sitePath) ? data.url.slice(sitePath.length) : data.url,
      href: data.url,
      title: meta.title || "",
      date: meta.date || "",
      category: meta.category || "",
      department: meta.department || "",
      index_no: meta.index_no || "",
      doc_no: meta.doc_no || "",
      lines: (meta.text || "").split("\ue000"),
    };
  }

  // {url, title, date} of many hits at once, from the shards' result lists rather than one
  // fragment download per hit.
  async listed(hits) {
    const out = [];
    for (const hit of hits) {
      const key = hit.shard.language;
      if (!this.lists.has(key)) {
        const url = new URL(`${this.manifest.lists}${key}.json`, this.url);
        this.lists.set(key, fetch(url).then((r) => r.json()));
      }
      const [url, title, date] = (await this.lists.get(key))[hit.id];
      out.push({ url, title, date });
    }
    return out;
  }
}
