/* kwic.js - the concordance view: lines aligned on the match, a page at a
 * time by the daemon's cursor, from /concordance. */
'use strict';

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
  /* the reading view finds the occurrence by the text on either side */
  const ctx = [...(line.left || '')].slice(-12).join('');
  const rctx = [...(line.right || '')].slice(0, 12).join('');
  /* (the view's state rides along, so that the reading view leads back to it) */
  match.appendChild(navLink(line.match, href(withChanges({doc: line.id, ctx: ctx,
                                                          rctx: rctx || null, m: null}, st))));
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
  const width = st.get('width') || '20';
  if (![...$('width').options].some((o) => o.value === width)) /* (a width typed in the URL) */
    $('width').appendChild(el('option', null, width));
  $('width').value = width;
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
  /* room for the width asked on each side (a Chinese character about an
   * em): past what the window holds the table scrolls sideways, rather
   * than clipping 80 characters of context to the 20 of the default */
  table.style.minWidth = (+width > 20 ? 'calc(' + (2 * 1.05 * width + 2) + 'em / 0.72)' : '');
  const tbody = table.querySelector('tbody');
  for (const line of j.lines || []) tbody.appendChild(kwicRow(st, line));
  /* the match column as wide as its longest match (a Chinese character an
   * em, another about half), up to 45% of the table: a fixed width cut
   * 全面建设社会主义现代化国家 mid-character */
  let widest = 0;
  for (const a of tbody.querySelectorAll('td.match a')) {
    let w = 0.8;
    for (const c of a.textContent) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(c) ? 1.05 : 0.62;
    widest = Math.max(widest, w);
  }
  const th = table.querySelector('th.match');
  const base = window.matchMedia('(max-width: 760px)').matches ? 5.5 : 9;
  if (th) th.style.width = widest > base ? 'min(' + widest.toFixed(1) + 'em, 45%)' : '';
  const t = $('kwic-total');
  t.textContent = '';
  const strong = el('strong', null, '共 ' + fmt(j.total_occurrences) + ' 处');
  strong.id = 'kwic-n';
  t.appendChild(strong);
  t.appendChild(document.createTextNode('，见于 ' + fmt(j.total_documents) + ' 篇 (' +
    fmt(j.total_occurrences) + (j.total_occurrences === 1 ? ' occurrence' : ' occurrences') +
    ' in ' + fmt(j.total_documents) + (j.total_documents === 1 ? ' document)' : ' documents)') +
    ' · 已显示 ' + fmt(tbody.rows.length)));
  t.dataset.occurrences = j.total_occurrences;
  t.dataset.documents = j.total_documents;
  kwicCursor = j.next || null;
  $('kwic-more').hidden = !kwicCursor;
}
