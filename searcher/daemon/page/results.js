/* results.js - the results view: the filters as chips, the hits with their
 * snippets, the facets and the pager, from /search. */
'use strict';

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
  t.appendChild(navLink(h.title || h.id, href(withChanges({doc: h.id, m: null, ctx: null,
                                                            rctx: null}))));
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
      /* undoing a month goes back to its year, undoing a year to no date */
      const back = name === 'month' ? key.slice(0, 4) : null;
      change = active ? {from: back, to: back} : {from: key, to: key};
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
  if (total > MAX_WINDOW && cur >= pages) {
    /* the daemon pages the first MAX_WINDOW hits; the rest are the export's */
    const note = el('p', 'window-note', '只能翻到前 ' + fmt(MAX_WINDOW) + ' 篇；全部 ' + fmt(total) +
      ' 篇请导出 CSV。Pages reach the first ' + fmt(MAX_WINDOW) + ' hits; export the CSV for all ' +
      fmt(total) + '.');
    nav.appendChild(note);
  }
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
  if (j.total > 0 && !j.facets)
    /* (the daemon counts facets over every match; a search the time limit
     * cut, or an estimated total, has none to give) */
    fbox.appendChild(el('p', 'facet-note', '此次检索未统计分面（检索超时或总数为估计）。' +
      'No facets for this search: the time limit cut it, or its total is estimated.'));
  renderPager(st, j.total);
}
