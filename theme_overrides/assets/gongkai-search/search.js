// The /search/ page: query form, 主题分类/发布机构/年份 filters, date order, pages of results
// with excerpts highlighted in the real text, and window.gongkaiSearch for automated checks.
// State lives in the URL (?q=…&category=…&department=…&year=…&sort=asc&page=2), so every
// result list is a link, and the header search box of every page is a plain GET form to it.

import { SearchIndex } from "./engine.js";
import { matchRanges, queryTerms } from "./tokens.js";

const PAGE_SIZE = 20;
const FIELDS = ["category", "department", "year"];
const EXCERPT_BEFORE = 30;
const EXCERPT_LENGTH = 120;
const LOAD_CONCURRENCY = 16;
// Characters of a query, as the search boxes' maxlength: a longer ?q= (a link anyone can make) is cut
// to what the box could hold, so a link's search costs no more than a typed one.
const MAX_QUERY = 100;
// What a filter of the URL that no document has shows in its list instead of the URL's text.
const UNKNOWN_FILTER = "（没有这一项）";

const indexes = new Map();

// The query as the page repeats it (status, title): without controls and format characters, which the search
// ignores anyway. A link's right-to-left override or isolate would otherwise turn the page's own words after it
// around (“…”的公开信息 read backwards), a zero-width or line-separating one hide what the words are.
const NOT_SHOWN = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const echoed = (query) => query.replace(NOT_SHOWN, "");

function openIndex(root) {
  const url = new URL(root.dataset.index, location.href).href;
  if (!indexes.has(url)) indexes.set(url, SearchIndex.open(url));
  return indexes.get(url);
}

async function mapLimited(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function readState(search) {
  const params = new URLSearchParams(search);
  const page = Number.parseInt(params.get("page") || "1", 10);
  return {
    q: Array.from(params.get("q") || "").slice(0, MAX_QUERY).join(""),
    category: params.get("category") || "",
    department: params.get("department") || "",
    year: params.get("year") || "",
    sort: params.get("sort") === "asc" ? "asc" : "desc",
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

function stateQuery(state) {
  const params = new URLSearchParams();
  params.set("q", state.q);
  for (const field of FIELDS) if (state[field]) params.set(field, state[field]);
  if (state.sort === "asc") params.set("sort", "asc");
  if (state.page > 1) params.set("page", String(state.page));
  return `?${params}`;
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// Appends `text` to `parent`, wrapping the ranges in <mark>.
function appendMarked(parent, text, ranges) {
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parent.append(text.slice(at, start));
    parent.append(element("mark", "", text.slice(start, end)));
    at = end;
  }
  if (at < text.length) parent.append(text.slice(at));
}

// What the scans may read as part of one number: anything but Chinese and Japanese words and Chinese punctuation —
// digits and numerals of any script, letters (Cherokee Ꮞ, Cyrillic Ӡ and katakana ニ are drawn as digits), blanks and
// marks between digit groups — and every Han character the scans read as a digit, in any of its forms (幺 洞 拐 勾,
// 參 貳 陸, 丨, the Hangzhou numerals, a compatibility ideograph); tests/search/test_search_excerpts.py keeps the list.
const RUN = /[^\p{Script=Han}\p{Script=Hiragana}\u3001\u3002\u3008-\u3011\u3014-\u301b\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u201c\u201d\u2018\u2019\u2026]|[⺓⼀⼁⼆⼋⼳〇〡〢〣〤〥〦〧〨〩一七三两丨九二五伍兩八六勾十叁参參叄四壹幺拐拾捌枴柒柺洞玖肆蔘貳贰陆陸零\uf96b\uf978\uf9b2\uf9d1\uf9d3\ufa05\u{2f8df}両壱弐]/u;
const isLowSurrogate = (text, i) => i > 0 && i < text.length && /[\udc00-\udfff]/.test(text[i]);
const inRun = (line, i) => i >= 0 && i < line.length && RUN.test(line[i]);
const runStart = (line, i) => { while (inRun(line, i - 1)) i--; return i; };
const runEnd = (line, i) => { while (inRun(line, i)) i++; return i; };

// A window of the body around the first match, as {text, ranges, before, after}. It never starts or ends inside a
// run the scans read whole: the run's first or last characters alone may read as a number the body holds as none
// (２０13912345678 cut after ２０ shows 13912345678; 13912345678000000 cut after 11 digits shows 13912345678…).
function excerpt(lines, terms) {
  for (const line of lines) {
    const ranges = matchRanges(line, terms, EXCERPT_LENGTH); // the excerpt ends before any range starting later
    if (!ranges.length) continue;
    let start = Math.max(0, ranges[0][0] - EXCERPT_BEFORE);
    if (isLowSurrogate(line, start)) start += 1;
    if (inRun(line, start) && inRun(line, start - 1)) {
      const back = runStart(line, start);
      const forward = runEnd(line, start);
      if (ranges[0][1] - back <= EXCERPT_LENGTH) start = back;
      else if (forward <= ranges[0][0]) start = forward;
      else continue; // the match is inside a run too long to show whole
    }
    const end = endOfExcerpt(line, start, Math.min(line.length, start + EXCERPT_LENGTH));
    if (end <= start) continue;
    const inside = ranges
      .filter(([s, e]) => s < end && e > start)
      .map(([s, e]) => [Math.max(s, start) - start, Math.min(e, end) - start]);
    return { text: line.slice(start, end), ranges: inside, before: start > 0, after: end < line.length };
  }
  const first = lines.find((line) => line.trim()) || "";
  const end = endOfExcerpt(first, 0, Math.min(first.length, EXCERPT_LENGTH));
  return { text: first.slice(0, end), ranges: [], before: false, after: first.length > end };
}

// Where an excerpt of `line` from `start` (never inside a run) may end, at `end` or before: never inside a run. A run
// that reaches from `start` past `end` is shown whole when it is short, else not at all (`start`).
function endOfExcerpt(line, start, end) {
  if (isLowSurrogate(line, end)) end += 1;
  if (end >= line.length || !inRun(line, end) || !inRun(line, end - 1)) return end;
  const back = runStart(line, end);
  if (back > start) return back;
  const forward = runEnd(line, end);
  return forward - start <= 2 * EXCERPT_LENGTH ? forward : start;
}

function renderResult(doc, terms) {
  const item = element("li", "gongkai-search__result");
  const link = element("a", "gongkai-search__title");
  link.href = doc.href;
  appendMarked(link, doc.title, matchRanges(doc.title, terms));
  item.append(link);

  const meta = element("p", "gongkai-search__meta");
  const field = (label, value, ranges = []) => {
    if (!value) return;
    const span = element("span", "", `${label}：`);
    appendMarked(span, value, ranges);
    meta.append(span);
  };
  field("发布日期", doc.date);
  field("主题分类", doc.category);
  field("发布机构", doc.department);
  field("文号", doc.doc_no, matchRanges(doc.doc_no, terms));
  const indexRanges = matchRanges(doc.index_no, terms);
  if (indexRanges.length) field("索引号", doc.index_no, indexRanges);
  item.append(meta);

  const ex = excerpt(doc.lines, terms);
  if (ex.text) {
    const p = element("p", "gongkai-search__excerpt");
    if (ex.before) p.append("…");
    appendMarked(p, ex.text, ex.ranges);
    if (ex.after) p.append("…");
    item.append(p);
  }
  return item;
}

class SearchPage {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.input = this.form.elements.namedItem("q");
    this.status = root.querySelector(".gongkai-search__status");
    this.list = root.querySelector(".gongkai-search__results");
    this.pager = root.querySelector(".gongkai-search__pages");
    this.generation = 0;
    this.title = document.title;
    this.index = openIndex(root);
  }

  async start() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.navigate({ ...this.formState(), page: 1 });
    });
    for (const name of [...FIELDS, "sort"]) {
      this.form.elements.namedItem(name).addEventListener("change", () => {
        if (this.input.value.trim()) this.navigate({ ...this.formState(), page: 1 });
      });
    }
    window.addEventListener("popstate", () => this.show(readState(location.search)));
    try {
      this.fillFacets(await this.index);
    } catch (error) {
      this.status.textContent = "检索服务加载失败，请稍后重试。";
      this.root.dataset.busy = "false";
      throw error;
    }
    await this.show(readState(location.search));
  }

  fillFacets(index) {
    for (const field of FIELDS) {
      const select = this.form.elements.namedItem(field);
      // An option a history step added before the index came (its value unknown then) makes way for the real one.
      for (const option of [...select.options]) if (option.value && !option.dataset.value) option.remove();
      for (const facet of index.facets[field]) {
        const option = element("option", "", `${facet.value}（${facet.documents}）`);
        option.value = facet.value;
        option.dataset.value = facet.value;
        select.append(option);
      }
    }
  }

  formState() {
    const state = { q: this.input.value.trim(), sort: this.form.elements.namedItem("sort").value };
    for (const field of FIELDS) state[field] = this.form.elements.namedItem(field).value;
    return state;
  }

  setForm(state) {
    this.input.value = state.q;
    for (const name of [...FIELDS, "sort"]) {
      const select = this.form.elements.namedItem(name);
      if (![...select.options].some((o) => o.value === state[name])) {
        // A value no document has (a link anyone can make): kept, so the list stays as asked (empty),
        // but never shown — the page would print any text of the link, of any length, as a 分类 or 机构.
        const option = element("option", "", UNKNOWN_FILTER);
        option.value = state[name];
        select.append(option);
      }
      select.value = state[name];
    }
  }

  navigate(state) {
    history.pushState(null, "", stateQuery(state));
    return this.show(state);
  }

  // Renders the results for `state`. data-busy is "true" until the page is complete (total and
  // facet counts); data-shown-ms is when the first results of the requested page appeared,
  // data-filled-ms when the page held all its results, and data-complete-ms when the total did
  // (performance.now()), for measurements.
  async show(state) {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.root.dataset.busy = "true";
    delete this.root.dataset.shownMs;
    delete this.root.dataset.filledMs;
    delete this.root.dataset.completeMs;
    try {
      await this.render(state, current);
    } catch (error) {
      if (current()) {
        this.status.removeAttribute("aria-busy");
        this.status.textContent = "检索出错，请稍后重试。";
      }
      throw error;
    } finally {
      if (current()) this.root.dataset.busy = "false";
    }
  }

  async render(state, current) {
    this.setForm(state);
    this.status.removeAttribute("aria-busy");
    this.list.replaceChildren();
    this.pager.replaceChildren();
    if (!state.q.trim()) {
      document.title = this.title;
      this.status.textContent = "请输入检索词。";
      return;
    }
    this.status.textContent = "正在检索…";
    const index = await this.index;
    const filters = Object.fromEntries(FIELDS.map((field) => [field, state[field]]));
    // The hits known to come first are final: the requested page shows its share of them as soon as
    // the shards searched so far have found any, and fills up as older shards answer (a rare phrase in a
    // large site has its hits spread over many shards). Later results only ever follow those shown.
    const from = (state.page - 1) * PAGE_SIZE;
    let listed = 0; // results of the requested page on the list
    let drawing = Promise.resolve();
    const progress = (hits) => {
      const more = hits.slice(from + listed, from + PAGE_SIZE);
      if (!more.length) return null;
      const first = !listed;
      listed += more.length;
      const found = hits.length;
      drawing = drawing.then(() => this.appendResults(index, state, more, found, listed === PAGE_SIZE, current));
      // The search opens more shards once the first results, and those that fill the page, are drawn.
      return first || listed === PAGE_SIZE ? drawing : null;
    };
    const result = await index.search(state.q, { filters, order: state.sort, progress, current });
    if (!result || !current()) return;
    await drawing;
    if (!listed) await this.showPage(index, state, result.hits, current); // none on the page asked for: the last, or none
    if (!current()) return;
    this.root.dataset.filledMs ??= String(performance.now());
    const { terms, hits, unfiltered, total } = result;
    const pages = Math.max(1, Math.ceil(hits.length / PAGE_SIZE));
    const page = Math.min(state.page, pages);
    this.status.textContent = this.summary(state, terms, hits.length, total, page, pages);
    this.status.removeAttribute("aria-busy");
    this.renderPager(state, page, pages);
    this.root.dataset.completeMs = String(performance.now());

    const counts = await index.facetCounts(unfiltered);
    if (current()) this.showCounts(counts);
  }

  // Adds `hits` to the requested page while the search goes on (`found` known so far); `full`: the page
  // has all its results.
  async appendResults(index, state, hits, found, full, current) {
    const items = await this.resultItems(index, state, hits, current);
    if (!items) return;
    // The status is read out when the first results come; the counts after them, until the summary, are not.
    if (this.root.dataset.shownMs) this.status.setAttribute("aria-busy", "true");
    this.status.textContent = `已找到 ${found} 条结果，正在检索${state.sort === "asc" ? "更晚" : "更早"}的信息…`;
    this.list.start = (state.page - 1) * PAGE_SIZE + 1;
    this.list.append(...items);
    this.root.dataset.shownMs ??= String(performance.now());
    if (full) this.root.dataset.filledMs = String(performance.now());
  }

  // Shows the requested page of all `hits`, the last page where it asked for one past it.
  async showPage(index, state, hits, current) {
    const pages = Math.max(1, Math.ceil(hits.length / PAGE_SIZE));
    const page = Math.min(state.page, pages);
    const items = await this.resultItems(index, state, hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), current);
    if (!items) return;
    this.list.start = (page - 1) * PAGE_SIZE + 1;
    this.list.replaceChildren(...items);
    this.root.dataset.shownMs ??= String(performance.now());
  }

  // The list items of `hits`, their files fetched (null once another search has begun); the tab's title names the query.
  async resultItems(index, state, hits, current) {
    const docs = await mapLimited(hits, LOAD_CONCURRENCY, (hit) => index.load(hit));
    if (!current()) return null;
    const terms = queryTerms(state.q);
    document.title = `${echoed(state.q)} - ${this.title}`;
    return docs.map((doc) => renderResult(doc, terms));
  }

  summary(state, terms, found, total, page, pages) {
    if (!terms.length) return "检索词中没有可检索的汉字、字母或数字。";
    const filtered = FIELDS.some((field) => state[field]);
    const single = terms.some((term) => term.kind === "prefix")
      ? "单字检索会列出含有该字的全部信息，输入更多字词可缩小范围。"
      : "";
    if (!found) {
      return `没有找到包含“${echoed(state.q)}”的公开信息${filtered && total ? `（取消筛选条件后有 ${total} 条）` : ""}。${single}`;
    }
    const scope = filtered ? `，筛选前共 ${total} 条` : "";
    const paging = pages > 1 ? `，第 ${page}/${pages} 页` : "";
    return `找到 ${found} 条结果${scope}${paging}。${single}`;
  }

  renderPager(state, page, pages) {
    if (pages <= 1) return;
    const link = (label, target, current = false) => {
      const a = element("a", current ? "gongkai-search__page is-current" : "gongkai-search__page", label);
      a.href = stateQuery({ ...state, page: target });
      if (current) a.setAttribute("aria-current", "page");
      a.addEventListener("click", (event) => {
        event.preventDefault();
        this.navigate({ ...state, page: target });
        this.root.scrollIntoView({ block: "start" });
      });
      return a;
    };
    const items = [];
    if (page > 1) items.push(link("上一页", page - 1));
    const first = Math.max(1, Math.min(page - 4, pages - 9));
    for (let p = first; p <= Math.min(pages, first + 9); p++) items.push(link(String(p), p, p === page));
    if (page < pages) items.push(link("下一页", page + 1));
    this.pager.replaceChildren(...items);
  }

  showCounts(counts) {
    for (const field of FIELDS) {
      for (const option of this.form.elements.namedItem(field).options) {
        if (!option.dataset.value) continue;
        const n = counts[field].get(option.dataset.value) ?? 0;
        option.textContent = `${option.dataset.value}（${n}）`;
      }
    }
  }
}

function mount() {
  for (const root of document.querySelectorAll(".gongkai-search[data-index]")) {
    if (root.dataset.mounted) continue;
    root.dataset.mounted = "true";
    new SearchPage(root).start().catch((error) => console.error("gongkai search:", error));
  }
}

// Every result the page would list for `query` (all pages, no filters), newest first.
window.gongkaiSearch = async (query) => {
  const root = document.querySelector(".gongkai-search[data-index]");
  if (!root) throw new Error("no search root on this page");
  const index = await openIndex(root);
  const { hits } = await index.search(String(query));
  return index.listed(hits);
};

mount();
// Material's instant navigation swaps page content without reloading scripts.
window.document$?.subscribe?.(() => mount());
