/* app.js - the research workbench of Wensuo: results with facets, a trend
 * chart, concordance lines and a reading view, each a URL, over the daemon's
 * JSON endpoints (/search, /trend, /concordance, /documents/{id}, /export).
 *
 * Everything that comes from the index reaches the page through textContent
 * or a text node, never as HTML: snippets come escaped with <b> marks, so
 * they are split at the marks and unescaped (common.js). The page's state is its
 * URL; every change of view or filter is a history entry, so that a search
 * can be shared, bookmarked and walked back with the back button.
 *
 * This file routes the URL to a view and wires the controls; the views are
 * results.js, trend.js, kwic.js and reading.js, over common.js. */
'use strict';

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
  const views = ['results', 'trend', 'kwic'];
  const view = st.get('doc') ? 'doc' : !q ? 'home'
    : views.includes(st.get('view')) ? st.get('view') : 'results'; /* (view=bogus: the results) */
  /* a trend's terms (碳达峰, 碳中和) are one query elsewhere: any of them
   * (in another view a comma is the query's own punctuation); the terms
   * go along as tq, so that the trend tab brings them back while the
   * query is still theirs */
  const inTrend = view === 'trend';
  const tq = st.get('tq');
  const other = inTrend ? anyOfTerms(q) : q;
  const trendQ = !inTrend && tq && anyOfTerms(tq) === q ? tq : q;
  for (const a of document.querySelectorAll('#views a')) {
    const v = a.dataset.view;
    const p = withChanges({view: v === 'results' ? null : v, doc: null, m: null, ctx: null,
                           rctx: null, page: null, q: v === 'trend' ? trendQ : other,
                           tq: v === 'trend' ? null : inTrend && other !== q ? q : tq});
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
    /* the error alone: what the view showed was another query's */
    showView('none');
    document.body.dataset.ready = 'error';
  }
}

function init() {
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('q').value.trim();
    if (!q) return;
    /* the daemon's limit, said here: past it the URL made of the query
     * could not be loaded again */
    const bytes = new TextEncoder().encode(q).length;
    if (bytes > MAX_QUERY_BYTES) {
      setStatus('查询过长：' + fmt(bytes) + ' 字节，上限 ' + fmt(MAX_QUERY_BYTES) + ' 字节（约 ' +
        fmt(Math.floor(MAX_QUERY_BYTES / 3)) + ' 个汉字）。The query is ' + fmt(bytes) +
        ' bytes long, over the limit of ' + fmt(MAX_QUERY_BYTES) + ': shorten it.', true);
      return;
    }
    const st = state();
    /* a new query keeps the filters and how each view is set (sort, the
     * trend's axis and scale, the concordance's sort and width) */
    const kept = FILTERS.concat(['sort', 'by', 'measure', 'per', 'ksort', 'width']);
    const keep = st.get('doc') ? {} : Object.fromEntries(kept.map((f) => [f, st.get(f)]));
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
    renderKwic(state(), gen, true).catch((e) => {
      setStatus('出错 Error: ' + e.message, true);
      $('kwic-more').hidden = true; /* (asking again gives the same error) */
    });
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
