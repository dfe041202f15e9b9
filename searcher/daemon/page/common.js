/* common.js - what every view of the search page shares: its constants, DOM
 * helpers, the state (which is the URL), the daemon's JSON and snippets.
 * The page's scripts are classic scripts run in order (index.html), so
 * their top-level names are one scope: this one comes first. */
'use strict';

const PAGE = 20;           /* hits a page */
const KWIC_PAGE = 100;     /* concordance lines fetched at a time */
const MAX_WINDOW = 100000; /* the daemon's offset + limit */
const MAX_QUERY_BYTES = 4096; /* the daemon's longest query (WS_QUERY_MAX_BYTES) */
const FILTERS = ['source', 'type', 'from', 'to'];
const TYPE_NAMES = {
  news: '新闻', policy: '政策', law: '法律', regulation: '法规', report: '报告', web: '网页',
  article: '条文', notice: '通知', interpretation: '司法解释', case: '案例'
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
