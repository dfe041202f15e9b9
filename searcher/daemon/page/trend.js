/* trend.js - the trend view: a chart and a table of each term by period,
 * from /trend. */
'use strict';

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
    if (c === '"' || c === '\uff02') quoted = !quoted; /* ＂, as an input method types it */
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

/* The trend's terms as one query, any of them (the other views' query). */
function anyOfTerms(q) {
  const terms = trendTerms(q);
  return terms.length > 1
    ? terms.map((t) => (/[\s()（）]/.test(t) ? '(' + t + ')' : t)).join(' OR ') : q;
}

function trendValue(b, s, measure, per) {
  const raw = measure === 'occurrences' ? s.occurrences : s.documents;
  if (per === 'docs') return b.documents ? raw * 10000 / b.documents : 0;
  if (per === 'chars') return b.characters ? raw * 1e6 / b.characters : 0;
  return raw;
}

/* The hits behind a figure: the term in the bucket's period, source or
 * type (by source or type the dates chosen stay); null for the undated
 * bucket, which no filter names. */
function trendHitsHref(st, term, key, by) {
  if (key == null || key === '') return null;
  if (by === 'source' || by === 'type')
    return href(withChanges({q: term, view: null, page: null, [by]: key}, st));
  const pr = period(key);
  if (!pr) return null;
  return href(withChanges({q: term, view: null, page: null, from: pr[0], to: pr[1]}, st));
}

/* A bucket's label: the bucket of the documents without the field (key
 * null) named: undated by time, none by source or type. */
function bucketLabel(key, by) {
  if (key != null && key !== '') return String(key);
  return by === 'source' || by === 'type' ? '（无）(none)' : '无日期 undated';
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
  /* the undated bucket (key null) goes last, outside the time line */
  const undated = buckets.filter((b) => b.key == null || b.key === '');
  const dated = buckets.filter((b) => !(b.key == null || b.key === ''));
  if (!step || dated.length < 2 || dated.some((b) => months(b.key) == null)) return buckets;
  const out = [];
  for (let i = 0; i < dated.length; i++) {
    out.push(dated[i]);
    if (i + 1 === dated.length) break;
    const a = months(dated[i].key);
    const b = months(dated[i + 1].key);
    for (let n = a + step; n < b && out.length < 5000; n += step) {
      const series = [];
      for (let t = 0; t < nterms; t++) series.push({documents: 0, occurrences: 0});
      out.push({key: key(n), documents: 0, characters: 0, series: series, empty: true});
    }
  }
  return out.concat(undated);
}

/* A file name for a table the page makes itself (the trend's): the
 * query's first characters, those no file system takes in a name as _, as
 * the daemon names its exports (routes_research.c, name_file), so that two
 * downloads of two queries do not replace each other. */
function exportName(q, what) {
  const part = Array.from((q || '').replace(/[\\/:*?"<>|\s\u0000-\u001f]+/g, '_'))
    .slice(0, 40).join('').replace(/^_+|_+$/g, '');
  return 'wensuo-' + (part || 'export') + '-' + what + '.csv';
}

/* A CSV cell (RFC 4180), a formula's first character guarded as the
 * daemon's export guards it (searcher/search/cell.c). */
function csvCell(v) {
  let s = v == null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/* The table as CSV for a spreadsheet, the columns of `wensuo trend
 * --format csv` (every bucket the daemon gives, the undated one with an
 * empty key; the counts, not a rate: a rate is a formula away), with a
 * UTF-8 BOM so that Excel reads the Chinese right. */
function trendCsv(buckets, terms, by, q) {
  const head = [by, 'documents', 'characters'];
  terms.forEach((t) => head.push(t + ' documents', t + ' occurrences'));
  const rows = [head];
  for (const b of buckets) {
    const r = [b.key, b.documents, b.characters];
    (b.series || []).forEach((x) => r.push(x.documents, x.occurrences));
    rows.push(r);
  }
  const text = '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const a = $('export-trend');
  a.href = 'data:text/csv;charset=utf-8,' + encodeURIComponent(text);
  a.download = exportName(q, 'trend-' + by);
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
  const timeline = by !== 'source' && by !== 'type';
  /* the chart: a line through time, without the undated bucket, which
   * stands in no period (the table has it); bars by source or type */
  const drawn = timeline ? buckets.filter((b) => b.key != null && b.key !== '') : buckets;
  const labels = drawn.map((b) => bucketLabel(b.key, by));
  const unit = {raw: '', docs: ' / 10,000 篇', chars: ' / 1,000,000 字'}[per];
  const mname = measure === 'occurrences' ? '出现次数 occurrences' : '文档数 documents';

  /* the table: every figure, readable without the chart or colour */
  const table = $('trend-table');
  table.textContent = '';
  const cap = el('caption', null, mname + unit);
  table.appendChild(cap);
  const head = el('tr');
  head.appendChild(el('th', null, {source: '来源 source', type: '类型 type'}[by] || '时段 period'));
  head.appendChild(el('th', 'num', '全部文档 all documents'));
  terms.forEach((t) => head.appendChild(el('th', 'num', t)));
  const thead = el('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  const tbody = el('tbody');
  for (const b of buckets) {
    const tr = el('tr');
    tr.appendChild(el('th', null, by === 'type' && b.key ? typeLabel(b.key) : bucketLabel(b.key, by)));
    tr.appendChild(el('td', 'num', fmt(b.documents)));
    (b.series || []).forEach((s, i) => {
      const td = el('td', 'num');
      const v = trendValue(b, s, measure, per);
      const text = per === 'raw' ? fmt(v) : v.toFixed(2);
      const to = s.documents > 0 ? trendHitsHref(st, terms[i] || s.q, b.key, by) : null;
      if (to) td.appendChild(navLink(text, to));
      else td.textContent = text;
      td.dataset.documents = s.documents;
      td.dataset.occurrences = s.occurrences;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);
  trendCsv(j.buckets || [], terms, by, st.get('q') || '');

  const note = $('trend-note');
  const found = buckets.some((b) => (b.series || []).some((x) => x.documents > 0));
  const undated = timeline ? buckets.find((b) => b.key == null || b.key === '') : null;
  const held = undated ? (undated.series || []).reduce((n, x) => n + x.documents, 0) : 0;
  note.textContent = !buckets.length ? '没有带日期的命中文档。No dated document matches.'
    : !found ? '没有文档含有这些词。No document holds ' + (terms.length > 1 ? 'any of these terms.' : 'this term.')
    : held ? '无日期的命中文档不在图上，见表格末行。The undated hits are not on the time line: see the table\'s last row.'
    : '';
  if (typeof window.Chart !== 'function') {
    note.textContent = '图表库未能加载（Debian 软件包 libjs-chart.js），只显示数据表。' +
      'The chart library is missing (Debian: libjs-chart.js); the table below has every figure.';
    $('chart').hidden = true;
    return;
  }
  $('chart').hidden = false;
  const datasets = terms.map((t, i) => ({
    label: t,
    data: drawn.map((b) => trendValue(b, (b.series || [])[i] || {}, measure, per)),
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
  if (by === 'type') for (let i = 0; i < labels.length; i++)
    if (drawn[i].key) labels[i] = typeLabel(drawn[i].key);
  chart = new window.Chart($('chart'), {
    type: timeline ? 'line' : 'bar',
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
        const to = trendHitsHref(st, terms[e.datasetIndex], drawn[e.index].key, by);
        if (to) go(to);
      },
    },
  });
}
