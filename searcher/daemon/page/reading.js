/* reading.js - the reading view: a document as paragraphs with every
 * occurrence marked, stepped through by buttons and keys, from
 * /documents/{id}?q=. */
'use strict';

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

/* The width a line takes in print: a CJK character (or a full-width form)
 * two columns, any other one, as a text wrapped at a fixed width counts
 * them: counted as characters, a line of digits and letters looked longer
 * than a full line of Chinese, which then read as a short heading. */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud840-\ud8bf][\udc00-\udfff]/;

function columns(line) {
  let n = 0;
  for (const c of line) n += WIDE.test(c) ? 2 : 1;
  return n;
}

/* The width a hard-wrapped text was wrapped at (most of its lines are about
 * as long as its longest), in columns, or 0 for a text whose lines are
 * paragraphs. */
function wrapWidth(text) {
  const lens = text.split('\n').map(columns).filter((n) => n > 0);
  if (lens.length < 3) return 0;
  const sorted = lens.slice().sort((x, y) => x - y);
  const p = sorted[Math.floor(sorted.length * 0.9)];
  const near = lens.filter((n) => n >= 0.8 * p).length;
  return p <= 240 && near >= lens.length / 2 ? p : 0;
}

/* Whether the line break at text[end] follows the end of a sentence
 * (。！？；!?;｡, a closing quote or bracket allowed after it): where the
 * analyzer ends a paragraph at a single line break
 * (ws_analyzer_paragraph_end). */
function endsSentence(text, end) {
  let j = end - 1;
  while (j >= 0 && /[”’」』）)】》"'\]]/.test(text[j])) j--;
  return j >= 0 && /[。！？；!?;｡]/.test(text[j]);
}

/* Appends text to parent with marks over spans ([start, end) in UTF-16
 * units). A body is cut into paragraphs where the analyzer cuts them (the
 * PARAGRAPH operator's units): at blank lines and at line breaks after the
 * end of a sentence; another single break is a wrap of print, joined. In a
 * text wrapped at a fixed width, a short line (a heading) also ends its
 * paragraph, as does a next line indented or marked up (#, >, *, -). */
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
      para.appendChild(marked ? markEl(s, text, a, b) : document.createTextNode(s));
      return;
    }
    if (marked) {
      para.appendChild(markEl(text.slice(a, b).replace(/\n/g, ''), text, a, b));
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
      const line = text.slice(text.lastIndexOf('\n', end - 1) + 1, end);
      const lineLen = columns(line);
      const next = text[k] || '';
      /* a Markdown heading's line is its own paragraph, whatever follows */
      const wrap = k - end === 1 && next && !/[\s\u3000#>*\-]/.test(next) && !/^ {0,3}#/.test(line) &&
        !endsSentence(text, end) && (!width || lineLen >= 0.8 * width);
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
  if (asParagraphs) markdownHeadings(parent);
}

/* A paragraph that is a Markdown heading (## 第一章 总则, as the laws are
 * written) shown as a heading, its marks left out of the text shown (they
 * are the file's, and stay in its text and offsets). */
function markdownHeadings(parent) {
  for (const p of parent.querySelectorAll('p')) {
    const t = p.firstChild;
    const m = t && t.nodeType === Node.TEXT_NODE ? /^(#{1,6})[ \t]+/.exec(t.data) : null;
    if (!m) continue;
    t.data = t.data.slice(m[0].length);
    p.classList.add('heading', 'h' + m[1].length);
  }
}

let markAt = []; /* for each mark: the text it is in and its offsets there */

function markEl(shown, text, start, end) {
  const m = el('mark', 'hl', shown);
  m.tabIndex = -1;
  marks.push(m);
  markAt.push({text: text, start: start, end: end});
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
  history.replaceState(history.state, '', href(withChanges({m: i + 1, ctx: null, rctx: null})));
}

async function renderDoc(st, gen) {
  const id = st.get('doc');
  const q = st.get('q') || '';
  const back = $('doc-back');
  /* back to the view the link came from: its query, filters and settings */
  back.href = q ? href(withChanges({doc: null, m: null, ctx: null, rctx: null}, st)) : '/';
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
  /* a relaxed hit, or a link with another query: its marks are where the
   * query's terms stand, not matches the concordance counts */
  setStatus(q && d.matches === false ?
    '此文档不符合整个查询，标出的是其中的检索词 · the document does not match the whole query: its terms are marked' : '');
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
    /* (from a concordance line: the text on either side; no ctx with an
     * rctx is a mark at its field's start) */
    const ctx = st.get('ctx');
    const rctx = st.get('rctx');
    const byContext = ctx != null || rctx != null;
    if (m >= 1 && m <= marks.length) i = m - 1;
    else if (byContext) i = findByContext(ctx, rctx);
    showMatch(i, !!(m || byContext));
  }
}

/* The mark whose preceding text ends with ctx and whose following text
 * starts with rctx, white space left out (a concordance line joins a hard
 * wrap and shows another break as a space); an empty ctx asks for a mark
 * at its field's start. The first when none. */
function findByContext(ctx, rctx) {
  const norm = (s) => s.replace(/\s+/g, '');
  const want = norm(ctx || '');
  const after = norm(rctx || '');
  for (let i = 0; i < markAt.length; i++) {
    const {text, start, end} = markAt[i];
    const before = norm(text.slice(Math.max(0, start - want.length * 3 - 8), start));
    const next = norm(text.slice(end, end + after.length * 3 + 8));
    if ((want ? before.endsWith(want) : !before) && next.startsWith(after)) return i;
  }
  return 0;
}
