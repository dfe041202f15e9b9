/* app.js - the research workbench of Wensuo: results with facets, a trend
 * chart, concordance lines and a reading view, each a URL, over the daemon's
 * JSON endpoints (/search, /trend, /concordance, /documents/{id}, /export).
 *
 * Everything that comes from the index reaches the page through textContent
 * or a text node, never as HTML: snippets come escaped with <b> marks, so
 * they are split at the marks and unescaped here. The page's state is its
 * URL; every change of view or filter is a history entry, so that a search
 * can be shared, bookmarked and walked back with the back button. */
'use strict';

const PAGE = 20;           /* hits a page */
const KWIC_PAGE = 100;     /* concordance lines fetched at a time */
const MAX_WINDOW = 100000; /* the daemon's offset + limit */
const FILTERS = ['source', 'type', 'from', 'to'];
const TYPE_NAMES = {
  news: '新闻', policy: '政策', law: '法律', regulation: '法规', report: '报告', web: '网页',
  article: '条文', notice: '通知'
};
const FACET_NAMES = {
  source: '来源 Source', type: '类型 Type', year: '年份 Year', month: '月份 Month'
};

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function fmt(n) {
  return Number(n).toLocaleString('zh-CN');
}

function typeLabel(t) {
  return TYPE_NAMES[t] ? TYPE_NAMES[t] + ' ' + t : t;
}

/* ---- the state, which is the URL ---- */

function state() {
  return new URLSearchParams(location.search);
}

/* A URL of this page: the parameters of p (a URLSearchParams or an object),
 * empty ones left out. */
function href(p) {
  const u = new URLSearchParams();
  for (const [k, v] of (p instanceof URLSearchParams ? p : Object.entries(p)))
    if (v != null && v !== '') u.append(k, v);
  const s = u.toString();
  return s ? '/?' + s : '/';
}

/* The current state with the changes of obj (null removes a parameter). */
function withChanges(obj, base) {
  const p = new URLSearchParams(base || location.search);
  for (const [k, v] of Object.entries(obj)) {
    if (v == null || v === '') p.delete(k);
    else p.set(k, v);
  }
  return p;
}

function go(url, replace) {
  if (replace) history.replaceState(history.state, '', url);
  else history.pushState({inApp: true}, '', url);
  render();
}

/* A link inside the page: a real href (open in a new tab, copy), followed
 * without a reload. */
function navLink(text, url, cls) {
  const a = el('a', cls, text);
  a.href = url;
  a.addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(url);
  });
  return a;
}

/* The query-string parameters an endpoint takes from the state: q and the
 * filters. */
function apiParams(st, extra) {
  const p = new URLSearchParams();
  p.set('q', st.get('q') || '');
  for (const f of FILTERS) if (st.get(f)) p.set(f, st.get(f));
  for (const [k, v] of Object.entries(extra || {})) if (v != null && v !== '') p.set(k, v);
  return p;
}

/* fetch() of a JSON endpoint; throws an Error with the daemon's message. */
async function getJSON(url) {
  let r;
  try {
    r = await fetch(url, {headers: {Accept: 'application/json'}});
  } catch (e) {
    throw new Error('无法连接检索服务 (cannot reach the daemon): ' + e.message);
  }
  let j = null;
  try {
    j = await r.json();
  } catch (e) {
    /* a body that is not JSON: the status says enough */
  }
  if (!r.ok) {
    const err = new Error((j && j.error) || r.status + ' ' + r.statusText);
    err.status = r.status;
    throw err;
  }
  return j;
}

let generation = 0; /* renders started; an older one drops its answer */

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text || '';
  s.classList.toggle('error', !!isError);
}

/* ---- snippets and marks ---- */

function unescapeHTML(s) {
  return s.replace(/&(lt|gt|amp|quot|#39);/g,
                   (m, e) => ({lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'"})[e]);
}

/* A snippet ("…text <b>match</b> text…", escaped) as DOM nodes in parent. */
function appendSnippet(parent, s) {
  let marked = false;
  for (const part of String(s || '').split(/(<b>|<\/b>)/)) {
    if (part === '<b>') { marked = true; continue; }
    if (part === '</b>') { marked = false; continue; }
    if (!part) continue;
    const text = unescapeHTML(part);
    parent.appendChild(marked ? el('mark', null, text) : document.createTextNode(text));
  }
}

/* ---- chips: the active filters ---- */

function renderChips(st) {
  const box = $('chips');
  box.textContent = '';
  box.hidden = true;
  const view = st.get('view') || 'results';
  if (!st.get('q') || st.get('doc')) return;
  const names = {source: '来源', type: '类型', from: '起', to: '止'};
  /* a year or month chosen from the facets (from = to) is one chip */
  const onePeriod = st.get('from') && st.get('from') === st.get('to');
  let any = false;
  for (const f of FILTERS) {
    const v = st.get(f);
    if (!v || (onePeriod && f === 'to')) continue;
    any = true;
    const chip = el('span', 'chip');
    chip.appendChild(el('span', 'chip-name', onePeriod && f === 'from' ? '时间 date:' : names[f] + ' ' + f + ':'));
    chip.appendChild(el('span', 'chip-value', f === 'type' ? typeLabel(v) : v));
    const drop = onePeriod && f === 'from' ? {from: null, to: null} : {[f]: null};
    drop.page = null;
    const x = navLink('×', href(withChanges(drop)), 'chip-x');
    x.setAttribute('aria-label', '去掉筛选 remove filter ' + f + ' ' + v);
    x.title = '去掉 remove';
    chip.appendChild(x);
    box.appendChild(chip);
  }
  if (any) {
    const clear = {page: null};
    for (const f of FILTERS) clear[f] = null;
    box.appendChild(navLink('清除全部 clear all', href(withChanges(clear)), 'chip-clear'));
  }
  box.hidden = !any;
  void view;
}

/* ---- the results view ---- */

let noMonthFacet = false; /* the daemon does not facet by month */

async function searchWithFacets(st, offset, sort) {
  const facets = noMonthFacet ? 'source,type,year' : 'source,type,year,month';
  const p = apiParams(st, {offset: offset, limit: PAGE, facets: facets, sort: sort});
  try {
    return await getJSON('/search?' + p);
  } catch (e) {
    if (e.status === 400 && !noMonthFacet && /facet/i.test(e.message)) {
      noMonthFacet = true;
      return searchWithFacets(st, offset, sort);
    }
    throw e;
  }
}

function hitItem(h, q) {
  const li = el('li', 'hit');
  const t = el('h3');
  t.appendChild(navLink(h.title || h.id, href({doc: h.id, q: q})));
  li.appendChild(t);
  const meta = el('p', 'meta');
  const bits = [];
  if (h.date) bits.push(el('time', null, h.date));
  if (h.source) bits.push(el('span', 'src', h.source));
  if (h.type) bits.push(el('span', 'type', typeLabel(h.type)));
  bits.forEach((b, i) => {
    if (i) meta.appendChild(document.createTextNode(' · '));
    meta.appendChild(b);
  });
  if (h.url && /^https?:\/\//i.test(h.url)) {
    meta.appendChild(document.createTextNode(' · '));
    const a = el('a', 'ext', '原文 source ↗');
    a.href = h.url;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
    meta.appendChild(a);
  }
  li.appendChild(meta);
  const p = el('p', 'snip');
  appendSnippet(p, h.snippet);
  li.appendChild(p);
  return li;
}

function period(key) {
  /* "2024" -> [2024, 2024]; "2024-03" -> same month; "2024-Q2" -> 04..06 */
  let m;
  if ((m = /^(\d{4})-?Q([1-4])$/i.exec(key))) {
    const a = (m[2] - 1) * 3 + 1;
    const pad = (n) => String(n).padStart(2, '0');
    return [m[1] + '-' + pad(a), m[1] + '-' + pad(a + 2)];
  }
  if (/^\d{4}(-\d{2})?(-\d{2})?$/.test(key)) return [key, key];
  return null;
}

function facetGroup(st, name, counts) {
  const g = el('section', 'facet');
  g.dataset.facet = name;
  g.appendChild(el('h3', null, FACET_NAMES[name]));
  let entries = Object.entries(counts || {});
  if (name === 'year' || name === 'month') entries.sort((a, b) => b[0].localeCompare(a[0]));
  else entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (name === 'month') {
    /* months of the chosen year, or none until a year is chosen */
    const y = (st.get('from') || '').slice(0, 4);
    if (!y || y !== (st.get('to') || '').slice(0, 4)) return null;
    entries = entries.filter(([k]) => k.startsWith(y));
  }
  if (!entries.length) return null;
  const ul = el('ul');
  for (const [key, n] of entries) {
    const li = el('li');
    const none = key === '' || key === '(none)' || key === 'null';
    const label = none ? '（无）(none)' : name === 'type' ? typeLabel(key) : key;
    let active, change;
    if (name === 'year' || name === 'month') {
      active = st.get('from') === key && st.get('to') === key;
      change = active ? {from: null, to: null} : {from: key, to: key};
    } else {
      active = st.get(name) === key;
      change = {[name]: active ? null : key};
    }
    change.page = null;
    if (none) {
      li.appendChild(el('span', 'facet-none', label));
    } else {
      const a = navLink(label, href(withChanges(change)), active ? 'on' : '');
      if (active) {
        a.setAttribute('aria-current', 'true');
        a.title = '再点一次取消 click again to remove';
        a.prepend(document.createTextNode('✓ '));
      }
      li.appendChild(a);
    }
    li.appendChild(el('span', 'count', fmt(n)));
    ul.appendChild(li);
  }
  g.appendChild(ul);
  return g;
}

function renderPager(st, total) {
  const nav = $('pager');
  nav.textContent = '';
  const pages = Math.ceil(Math.min(total, MAX_WINDOW) / PAGE);
  if (pages <= 1) return;
  const cur = pageOf(st);
  const link = (n, text, cls) => {
    if (n === cur && !cls) {
      const s = el('span', 'cur', text || String(n));
      s.setAttribute('aria-current', 'page');
      return s;
    }
    const a = navLink(text || String(n), href(withChanges({page: n > 1 ? n : null})), cls);
    if (cls) a.rel = cls;
    return a;
  };
  if (cur > 1) nav.appendChild(link(cur - 1, '‹ 上一页 Prev', 'prev'));
  const shown = new Set([1, pages, cur - 2, cur - 1, cur, cur + 1, cur + 2]);
  let last = 0;
  for (let n = 1; n <= pages; n++) {
    if (!shown.has(n)) continue;
    if (n > last + 1) nav.appendChild(el('span', 'gap', '…'));
    nav.appendChild(link(n));
    last = n;
  }
  if (cur < pages) nav.appendChild(link(cur + 1, '下一页 Next ›', 'next'));
}

function pageOf(st) {
  const n = parseInt(st.get('page') || '1', 10);
  return n >= 1 ? n : 1;
}

function exportHref(st, sort) {
  const p = apiParams(st, {format: 'csv'});
  if (sort && sort !== 'relevance') p.set('sort', sort);
  return '/export?' + p;
}

async function renderResults(st, gen) {
  const q = st.get('q');
  const sort = st.get('sort') || 'relevance';
  $('sort').value = sort;
  $('from').value = st.get('from') || '';
  $('to').value = st.get('to') || '';
  $('export-hits').href = exportHref(st, sort);
  const page = pageOf(st);
  const offset = Math.min((page - 1) * PAGE, MAX_WINDOW - PAGE);
  setStatus('检索中… searching');
  const j = await searchWithFacets(st, offset, sort === 'relevance' ? null : sort);
  if (gen !== generation) return;
  setStatus('');
  const strict = j.hits.filter((h) => !h.relaxed);
  const relaxed = j.hits.filter((h) => h.relaxed);
  const total = $('total');
  total.textContent = '';
  const n = el('strong', null, (j.estimated ? '约 ' : '共 ') + fmt(j.total) + ' 篇');
  n.id = 'total-n';
  total.appendChild(n);
  total.appendChild(document.createTextNode(
    (j.estimated ? ' (about ' : ' (') + fmt(j.total) + (j.total === 1 ? ' document' : ' documents') +
    (j.estimated ? ', estimated)' : ')')));
  if (j.total > 0 && strict.length)
    total.appendChild(el('span', 'range', ' · 第 ' + fmt(offset + 1) + '–' +
                         fmt(offset + strict.length) + ' 篇'));
  if (j.took_ms != null) total.appendChild(el('span', 'took', ' · ' + j.took_ms.toFixed(0) + ' ms'));
  if (j.partial)
    total.appendChild(el('span', 'partial', ' · 检索超时，仅列出已检查文档中最相关的 ' +
                         '(the time limit ended the ranking: the best of the documents examined;' +
                         ' a narrower query or a filter helps)'));
  total.dataset.partial = j.partial ? '1' : '0';
  total.dataset.total = j.total;
  total.dataset.estimated = j.estimated ? '1' : '0';

  const ol = $('hits');
  ol.textContent = '';
  ol.start = offset + 1;
  for (const h of strict) ol.appendChild(hitItem(h, q));
  if (!strict.length && j.total > 0 && offset >= j.total) {
    // a page past the last (a link kept, a document deleted since): say
    // so, and lead back, rather than deny what the total says
    const last = Math.max(1, Math.ceil(Math.min(j.total, MAX_WINDOW) / PAGE));
    const li = el('li', 'empty past', '这一页在最后一页之后。This page is past the last one: ');
    li.appendChild(navLink('第 ' + last + ' 页 page ' + last,
                           href(withChanges({page: last > 1 ? last : null}))));
    ol.appendChild(li);
  } else if (!strict.length) {
    ol.appendChild(el('li', 'empty', '没有文档按原样含有这些词。No document holds the query as written.'));
  }

  const rel = $('relaxed');
  rel.hidden = !relaxed.length;
  const rol = rel.querySelector('ol');
  rol.textContent = '';
  if (relaxed.length) {
    $('relaxed-head').textContent = '只含部分检索词的文档（不计入总数）' +
      ' · Documents holding only some of the words (not counted)';
    for (const h of relaxed) rol.appendChild(hitItem(h, q));
  }

  const fbox = $('facets');
  fbox.textContent = '';
  const facets = j.facets || {};
  for (const name of ['type', 'source', 'year', 'month']) {
    const g = facetGroup(st, name, facets[name]);
    if (g) fbox.appendChild(g);
  }
  renderPager(st, j.total);
}

/* ---- the trend view ---- */

let chart = null;
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 1]];
const POINTS = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'rectRounded'];
const COLOURS = ['#7a2e1d', '#1f5f8b', '#4b7d2a', '#8a5a00', '#6a3d9a', '#b03060', '#2f6f6f',
                 '#555555', '#a0522d', '#2e4a7a'];

// The queries of a trend: the box's text cut at each comma (, or ，) that
// stands outside quotes; 、 enumerates inside one term (碳达峰、碳中和 is
// one pattern, as the results and the concordance read it), and a quoted
// phrase keeps its commas.
function trendTerms(q) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (const c of q) {
    if (c === '"') quoted = !quoted;
    else if (c === '\u201c') quoted = true;
    else if (c === '\u201d') quoted = false;
    if (!quoted && (c === ',' || c === '\uff0c')) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

function trendValue(b, s, measure, per) {
  const raw = measure === 'occurrences' ? s.occurrences : s.documents;
  if (per === 'docs') return b.documents ? raw * 10000 / b.documents : 0;
  if (per === 'chars') return b.characters ? raw * 1e6 / b.characters : 0;
  return raw;
}

function trendHitsHref(st, term, key) {
  const pr = period(key);
  return href(withChanges({q: term, view: null, page: null, from: pr ? pr[0] : null,
                           to: pr ? pr[1] : null}, st));
}

/* The buckets of a time line with the periods that hold no document added
 * (as zeros), so that the chart's axis runs evenly through time. */
function fillGaps(buckets, by, nterms) {
  const step = {year: 12, quarter: 3, month: 1}[by];
  const months = (k) => {
    let m = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/.exec(k);
    if (!m) return null;
    return +m[1] * 12 + (m[2] ? (m[2] - 1) * 3 : m[3] ? m[3] - 1 : 0);
  };
  const key = (n) => {
    const y = Math.floor(n / 12);
    const mo = n % 12;
    if (by === 'year') return String(y);
    if (by === 'quarter') return y + '-Q' + (Math.floor(mo / 3) + 1);
    return y + '-' + String(mo + 1).padStart(2, '0');
  };
  if (!step || buckets.length < 2 || buckets.some((b) => months(b.key) == null)) return buckets;
  const out = [];
  for (let i = 0; i < buckets.length; i++) {
    out.push(buckets[i]);
    if (i + 1 === buckets.length) break;
    const a = months(buckets[i].key);
    const b = months(buckets[i + 1].key);
    for (let n = a + step; n < b && out.length < 5000; n += step) {
      const series = [];
      for (let t = 0; t < nterms; t++) series.push({documents: 0, occurrences: 0});
      out.push({key: key(n), documents: 0, characters: 0, series: series, empty: true});
    }
  }
  return out;
}

async function renderTrend(st, gen) {
  const by = st.get('by') || 'year';
  const measure = st.get('measure') || 'documents';
  const per = st.get('per') || 'raw';
  $('by').value = by;
  $('measure').value = measure;
  $('per').value = per;
  const terms = trendTerms(st.get('q') || '');
  const p = apiParams(st, {by: by});
  p.delete('q');
  for (const t of terms) p.append('q', t);
  setStatus('统计中… counting');
  const j = await getJSON('/trend?' + p);
  if (gen !== generation) return;
  setStatus('');
  const buckets = fillGaps(j.buckets || [], by, terms.length);
  const labels = buckets.map((b) => b.key);
  const unit = {raw: '', docs: ' / 10,000 篇', chars: ' / 1,000,000 字'}[per];
  const mname = measure === 'occurrences' ? '出现次数 occurrences' : '文档数 documents';

  /* the table: every figure, readable without the chart or colour */
  const table = $('trend-table');
  table.textContent = '';
  const cap = el('caption', null, mname + unit);
  table.appendChild(cap);
  const head = el('tr');
  head.appendChild(el('th', null, '时段 period'));
  head.appendChild(el('th', 'num', '全部文档 all documents'));
  terms.forEach((t) => head.appendChild(el('th', 'num', t)));
  const thead = el('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  const tbody = el('tbody');
  for (const b of buckets) {
    const tr = el('tr');
    tr.appendChild(el('th', null, b.key));
    tr.appendChild(el('td', 'num', fmt(b.documents)));
    (b.series || []).forEach((s, i) => {
      const td = el('td', 'num');
      const v = trendValue(b, s, measure, per);
      const text = per === 'raw' ? fmt(v) : v.toFixed(2);
      if (s.documents > 0) td.appendChild(navLink(text, trendHitsHref(st, terms[i] || s.q, b.key)));
      else td.textContent = text;
      td.dataset.documents = s.documents;
      td.dataset.occurrences = s.occurrences;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);

  const note = $('trend-note');
  note.textContent = buckets.length ? '' : '没有带日期的命中文档。No dated document matches.';
  if (typeof window.Chart !== 'function') {
    note.textContent = '图表库未能加载（Debian 软件包 libjs-chart.js），只显示数据表。' +
      'The chart library is missing (Debian: libjs-chart.js); the table below has every figure.';
    $('chart').hidden = true;
    return;
  }
  $('chart').hidden = false;
  const datasets = terms.map((t, i) => ({
    label: t,
    data: buckets.map((b) => trendValue(b, (b.series || [])[i] || {}, measure, per)),
    borderColor: COLOURS[i % COLOURS.length],
    backgroundColor: COLOURS[i % COLOURS.length],
    borderDash: DASHES[i % DASHES.length],
    pointStyle: POINTS[i % POINTS.length],
    pointRadius: 4,
    pointHoverRadius: 7,
    tension: 0,
  }));
  if (chart) chart.destroy();
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  chart = new window.Chart($('chart'), {
    type: 'line',
    data: {labels: labels, datasets: datasets},
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: {mode: 'nearest', intersect: false},
      plugins: {legend: {labels: {usePointStyle: true}},
                tooltip: {callbacks: {footer: () => '点击查看命中 click for the hits'}}},
      scales: {y: {beginAtZero: true, title: {display: true, text: mname + unit}}},
      onClick: (evt, els) => {
        if (!els.length) return;
        const e = els[0];
        const term = terms[e.datasetIndex];
        go(trendHitsHref(st, term, labels[e.index]));
      },
    },
  });
}

/* ---- the concordance view ---- */

let kwicCursor = null;

function kwicParams(st, extra) {
  const p = apiParams(st, extra);
  const ks = st.get('ksort') || 'date';
  p.set('sort', ks);
  p.set('width', st.get('width') || '20');
  return p;
}

function kwicRow(st, line) {
  const tr = el('tr');
  const left = el('td', 'left');
  left.appendChild(el('span', null, line.left || ''));
  const match = el('td', 'match');
  /* the reading view finds the occurrence by the text just before it */
  const ctx = (line.left || '').slice(-12);
  match.appendChild(navLink(line.match, href({doc: line.id, q: st.get('q'), ctx: ctx})));
  const right = el('td', 'right');
  right.appendChild(el('span', null, line.right || ''));
  const src = el('td', 'src');
  if (line.date) src.appendChild(el('time', null, line.date));
  src.appendChild(el('span', 'title', line.title || line.id));
  src.title = (line.date ? line.date + ' ' : '') + (line.title || line.id);
  tr.append(left, match, right, src);
  return tr;
}

async function renderKwic(st, gen, more) {
  $('ksort').value = st.get('ksort') || 'date';
  $('width').value = st.get('width') || '20';
  $('export-kwic').href = '/concordance?' + kwicParams(st, {format: 'csv'});
  const p = kwicParams(st, {limit: KWIC_PAGE});
  if (more && kwicCursor) p.set('cursor', kwicCursor);
  setStatus('查找中… finding passages');
  const j = await getJSON('/concordance?' + p);
  if (gen !== generation) return;
  setStatus('');
  const table = $('kwic');
  if (!more) {
    table.textContent = '';
    const cap = el('caption', 'vh', '语境 Concordance');
    table.appendChild(cap);
    const head = el('tr');
    ['左语境 left', '检索词 match', '右语境 right', '出处 document'].forEach((h, i) =>
      head.appendChild(el('th', ['left', 'match', 'right', 'src'][i], h)));
    const thead = el('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    table.appendChild(el('tbody'));
  }
  const tbody = table.querySelector('tbody');
  for (const line of j.lines || []) tbody.appendChild(kwicRow(st, line));
  const t = $('kwic-total');
  t.textContent = '';
  const strong = el('strong', null, '共 ' + fmt(j.total_occurrences) + ' 处');
  strong.id = 'kwic-n';
  t.appendChild(strong);
  t.appendChild(document.createTextNode('，见于 ' + fmt(j.total_documents) + ' 篇 (' +
    fmt(j.total_occurrences) + ' occurrences in ' + fmt(j.total_documents) + ' documents)' +
    ' · 已显示 ' + fmt(tbody.rows.length)));
  t.dataset.occurrences = j.total_occurrences;
  t.dataset.documents = j.total_documents;
  kwicCursor = j.next || null;
  $('kwic-more').hidden = !kwicCursor;
}

/* ---- the reading view ---- */

let marks = [];
let current = -1;

/* Occurrences as [start, end) offsets in code points of text, from the
 * daemon's answer; by a literal search of the query's words when the answer
 * has none (an older daemon). */
function codePointIndex(text) {
  /* index of UTF-16 offsets by code point: cp -> utf16 */
  const idx = [];
  let u = 0;
  for (const ch of text) {
    idx.push(u);
    u += ch.length;
  }
  idx.push(u);
  return idx;
}

function spansOf(list, text) {
  const idx = codePointIndex(text);
  const out = [];
  for (const [s, e] of list) {
    if (s >= 0 && e > s && e < idx.length) out.push([idx[s], idx[e]]);
  }
  out.sort((a, b) => a[0] - b[0]);
  return out;
}

function queryWords(q) {
  const words = [];
  const re = /"([^"]+)"|“([^”]+)”|(\S+)/g;
  let m;
  while ((m = re.exec(q))) {
    let w = m[1] || m[2] || m[3];
    if (/^(AND|OR|NOT)$/.test(w) || w.startsWith('-')) continue;
    w = w.replace(/^[a-z]+:/, '').replace(/[()]/g, '');
    if (w && !/^(source|type|date):/.test(m[0])) words.push(w);
  }
  return words;
}

function findWords(text, words) {
  const out = [];
  const low = text.toLowerCase();
  for (const w of words) {
    const lw = w.toLowerCase();
    for (let i = low.indexOf(lw); i >= 0; i = low.indexOf(lw, i + lw.length)) out.push([i, i + lw.length]);
  }
  out.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const s of out) if (!merged.length || s[0] >= merged[merged.length - 1][1]) merged.push(s);
  return merged;
}

/* The occurrences the daemon gives for a field ("title", "body"):
 * [[start, end], ...] in code points; null from a daemon that gives none. */
function occurrences(d, field) {
  return d.occurrences ? d.occurrences[field] || [] : null;
}

/* The width a hard-wrapped text was wrapped at (most of its lines are about
 * as long as its longest), or 0 for a text whose lines are paragraphs. */
function wrapWidth(text) {
  const lens = text.split('\n').map((l) => l.length).filter((n) => n > 0);
  if (lens.length < 3) return 0;
  const sorted = lens.slice().sort((x, y) => x - y);
  const p = sorted[Math.floor(sorted.length * 0.9)];
  const near = lens.filter((n) => n >= 0.8 * p).length;
  return p <= 120 && near >= lens.length / 2 ? p : 0;
}

/* Appends text to parent with marks over spans ([start, end) in UTF-16
 * units). A body is cut into paragraphs at blank lines and at line breaks
 * that end a line; a hard wrap (a full line of a text wrapped at a fixed
 * width, the next not indented) is joined, as the analyzer joins it. */
function renderMarked(parent, text, spans, asParagraphs) {
  let para = parent;
  const newPara = () => {
    para = el('p');
    parent.appendChild(para);
  };
  if (asParagraphs) newPara();
  const width = asParagraphs ? wrapWidth(text) : 0;
  const put = (a, b, marked) => {
    if (a >= b) return;
    if (!asParagraphs) {
      const s = text.slice(a, b);
      para.appendChild(marked ? markEl(s, text, a) : document.createTextNode(s));
      return;
    }
    if (marked) {
      para.appendChild(markEl(text.slice(a, b).replace(/\n/g, ''), text, a));
      return;
    }
    let i = a;
    while (i < b) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 || nl >= b ? b : nl;
      if (end > i) para.appendChild(document.createTextNode(text.slice(i, end)));
      if (end === b) break;
      let k = end;
      while (k < b && text[k] === '\n') k++;
      const lineLen = end - text.lastIndexOf('\n', end - 1) - 1;
      const next = text[k] || '';
      const wrap = k - end === 1 && width && lineLen >= 0.8 * width && next &&
        !/[\s\u3000#>*\-]/.test(next);
      if (!wrap) newPara();
      else if (/[A-Za-z]/.test(text[end - 1]) && /[A-Za-z]/.test(next)) para.appendChild(document.createTextNode(' '));
      i = k;
    }
  };
  let pos = 0;
  for (const [s, e] of spans) {
    if (s < pos) continue;
    put(pos, s, false);
    put(s, e, true);
    pos = e;
  }
  put(pos, text.length, false);
}

let markAt = []; /* for each mark: the text it is in and its offset there */

function markEl(shown, text, start) {
  const m = el('mark', 'hl', shown);
  m.tabIndex = -1;
  marks.push(m);
  markAt.push({text: text, start: start});
  return m;
}

function showMatch(i, scroll) {
  if (!marks.length) return;
  i = (i + marks.length) % marks.length;
  if (current >= 0 && marks[current]) {
    marks[current].classList.remove('current');
    marks[current].removeAttribute('aria-current');
  }
  current = i;
  const m = marks[i];
  m.classList.add('current');
  m.setAttribute('aria-current', 'true');
  const pos = $('doc-pos');
  pos.textContent = '第 ' + (i + 1) + ' / ' + marks.length + ' 处';
  const en = el('span', null, ' (match ' + (i + 1) + ' of ' + marks.length + ')');
  en.lang = 'en';
  pos.appendChild(en);
  pos.dataset.current = i + 1;
  if (scroll) m.scrollIntoView({block: 'center'});
  history.replaceState(history.state, '', href(withChanges({m: i + 1, ctx: null})));
}

async function renderDoc(st, gen) {
  const id = st.get('doc');
  const q = st.get('q') || '';
  const back = $('doc-back');
  back.href = q ? href({q: q}) : '/';
  setStatus('读取中… loading');
  const url = '/documents/' + encodeURIComponent(id) + (q ? '?' + new URLSearchParams({q: q}) : '');
  let d;
  try {
    d = await getJSON(url);
  } catch (e) {
    /* a daemon that does not take ?q= still shows the text */
    if (e.status === 400 && q) d = await getJSON('/documents/' + encodeURIComponent(id));
    else throw e;
  }
  if (gen !== generation) return;
  setStatus('');
  document.title = (d.title || d.id) + ' · 文索';
  marks = [];
  markAt = [];
  current = -1;
  const title = $('doc-title');
  const body = $('doc-body');
  title.textContent = '';
  body.textContent = '';
  const words = queryWords(q);
  const tOcc = occurrences(d, 'title');
  const bOcc = occurrences(d, 'body');
  const tText = d.title || d.id;
  const bText = d.body || '';
  renderMarked(title, tText, q ? (tOcc ? spansOf(tOcc, tText) : findWords(tText, words)) : [],
               false);
  renderMarked(body, bText, q ? (bOcc ? spansOf(bOcc, bText) : findWords(bText, words)) : [],
               true);
  const meta = $('doc-meta');
  meta.textContent = '';
  const row = (k, v) => {
    if (!v) return;
    meta.appendChild(el('dt', null, k));
    const dd = el('dd');
    if (v instanceof Node) dd.appendChild(v);
    else dd.textContent = v;
    meta.appendChild(dd);
  };
  row('日期 Date', d.date);
  row('来源 Source', d.source);
  row('类型 Type', d.type ? typeLabel(d.type) : null);
  if (d.url && /^https?:\/\//i.test(d.url)) {
    const a = el('a', 'ext', d.url);
    a.href = d.url;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
    row('原文 URL', a);
  }
  row('编号 ID', d.id);
  $('doc-nav').hidden = !marks.length;
  $('doc-pos').textContent = '';
  if (marks.length) {
    let i = 0;
    const m = parseInt(st.get('m') || '0', 10);
    const ctx = st.get('ctx');
    if (m >= 1 && m <= marks.length) i = m - 1;
    else if (ctx) i = findByContext(ctx);
    showMatch(i, !!(m || ctx));
  }
}

/* The mark whose preceding text (white space as single spaces, as
 * concordance lines show line breaks) ends with ctx; the first when none. */
function findByContext(ctx) {
  const norm = (s) => s.replace(/\s+/g, ' ');
  const want = norm(ctx).trim();
  if (!want) return 0;
  for (let i = 0; i < markAt.length; i++) {
    const {text, start} = markAt[i];
    const before = norm(text.slice(Math.max(0, start - want.length * 3 - 8), start)).trim();
    if (before.endsWith(want)) return i;
  }
  return 0;
}

/* ---- the page ---- */

function showView(name) {
  for (const v of ['home', 'results', 'trend', 'kwic', 'doc']) $('v-' + v).hidden = v !== name;
  for (const a of document.querySelectorAll('#views a')) {
    const on = a.dataset.view === name;
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.body.dataset.view = name;
}

async function render() {
  const gen = ++generation;
  delete document.body.dataset.ready;
  const st = state();
  const q = st.get('q') || '';
  $('q').value = q;
  const view = st.get('doc') ? 'doc' : !q ? 'home' : (st.get('view') || 'results');
  for (const a of document.querySelectorAll('#views a')) {
    const p = withChanges({view: a.dataset.view === 'results' ? null : a.dataset.view,
                           doc: null, m: null, ctx: null, page: null});
    a.href = q ? href(p) : '#';
    a.classList.toggle('disabled', !q);
  }
  $('views').hidden = !q;
  renderChips(st);
  showView(view);
  if (view !== 'doc') document.title = (q ? q + ' · ' : '') + '文索 Wensuo';
  try {
    if (view === 'results') await renderResults(st, gen);
    else if (view === 'trend') await renderTrend(st, gen);
    else if (view === 'kwic') { kwicCursor = null; await renderKwic(st, gen, false); }
    else if (view === 'doc') await renderDoc(st, gen);
    else setStatus('');
    if (gen === generation) document.body.dataset.ready = view;
  } catch (e) {
    if (gen !== generation) return;
    let msg = e.message;
    if (e.status === 404 && /no such endpoint/.test(msg))
      msg += ' — 这个检索服务尚不支持此视图 (this daemon does not have this view yet)';
    setStatus('出错 Error: ' + msg, true);
    document.body.dataset.ready = 'error';
  }
}

function init() {
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('q').value.trim();
    if (!q) return;
    const st = state();
    const keep = st.get('doc') ? {} : Object.fromEntries(FILTERS.map((f) => [f, st.get(f)]));
    const view = st.get('doc') ? null : st.get('view');
    go(href(Object.assign({q: q, view: view}, keep)));
  });
  $('range').addEventListener('submit', (e) => {
    e.preventDefault();
    const from = $('from').value.trim();
    const to = $('to').value.trim();
    go(href(withChanges({from: from, to: to, page: null})));
  });
  $('sort').addEventListener('change', () =>
    go(href(withChanges({sort: $('sort').value === 'relevance' ? null : $('sort').value, page: null}))));
  for (const id of ['by', 'measure', 'per']) {
    $(id).addEventListener('change', () => {
      const def = {by: 'year', measure: 'documents', per: 'raw'}[id];
      go(href(withChanges({[id]: $(id).value === def ? null : $(id).value})));
    });
  }
  $('ksort').addEventListener('change', () =>
    go(href(withChanges({ksort: $('ksort').value === 'date' ? null : $('ksort').value}))));
  $('width').addEventListener('change', () =>
    go(href(withChanges({width: $('width').value === '20' ? null : $('width').value}))));
  $('kwic-more').addEventListener('click', () => {
    const gen = ++generation;
    renderKwic(state(), gen, true).catch((e) => setStatus('出错 Error: ' + e.message, true));
  });
  for (const a of document.querySelectorAll('#views a, .brand')) {
    a.addEventListener('click', (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      if (a.classList.contains('disabled')) return;
      go(a.getAttribute('href') || '/');
    });
  }
  $('doc-back').addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (history.state && history.state.inApp) history.back();
    else go($('doc-back').getAttribute('href'));
  });
  $('next').addEventListener('click', () => showMatch(current + 1, true));
  $('prev').addEventListener('click', () => showMatch(current - 1, true));
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (e.key === '/') {
      e.preventDefault();
      $('q').focus();
      $('q').select();
    } else if (document.body.dataset.view === 'doc' && (e.key === 'n' || e.key === 'j')) {
      showMatch(current + 1, true);
    } else if (document.body.dataset.view === 'doc' && (e.key === 'p' || e.key === 'k')) {
      showMatch(current - 1, true);
    }
  });
  if (window.matchMedia('(max-width: 760px)').matches) $('filters').open = false;
  window.addEventListener('popstate', render);
  render();
}

document.addEventListener('DOMContentLoaded', init);
