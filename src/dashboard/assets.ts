/**
 * The dashboard's only stylesheet and script, served from /dashboard/assets so the content
 * security policy can forbid inline code. Colours meet WCAG AA contrast on white.
 */
export const CSS = `
:root { --ink:#1d2430; --muted:#4f5866; --line:#d6dae0; --bg:#f6f7f9; --accent:#0b5cad; --ok:#0b6e4f; --bad:#a32020; --band:#0b5cad22; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); }
body { margin:0; background:var(--bg); }
.skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:6px; z-index:10; }
.top { display:flex; justify-content:space-between; align-items:center; padding:10px 24px; background:#fff; border-bottom:1px solid var(--line); }
.brand { font-weight:700; font-size:1.1rem; }
.who { display:flex; gap:12px; align-items:center; margin:0; }
nav ul { list-style:none; display:flex; flex-wrap:wrap; gap:4px; margin:0; padding:8px 24px; background:#fff; border-bottom:1px solid var(--line); }
nav a { display:block; padding:6px 10px; border-radius:6px; color:var(--accent); text-decoration:none; }
nav a[aria-current=page] { background:var(--accent); color:#fff; }
main { max-width:1080px; margin:0 auto; padding:16px 24px 48px; }
h1 { font-size:1.5rem; } h2 { font-size:1.15rem; margin-top:28px; }
section, .card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; margin:12px 0; }
dl.figures { display:grid; grid-template-columns:repeat(auto-fill,minmax(180px,1fr)); gap:12px; margin:0; }
.figure { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.figure dt { color:var(--muted); font-size:.85rem; } .figure dd { margin:4px 0 0; font-size:1.35rem; font-weight:600; }
.figure dd.hint { font-size:.8rem; font-weight:400; color:var(--muted); }
table { border-collapse:collapse; width:100%; font-size:.92rem; background:#fff; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
caption { text-align:left; font-weight:600; padding:6px 0; }
.chart { margin:8px 0; max-width:760px; } .chart svg { width:100%; height:auto; background:#fff; border:1px solid var(--line); border-radius:8px; }
.chart-title { font-weight:600; font-size:14px; fill:var(--ink); }
.tick { font-size:11px; fill:var(--muted); } .axis { font-size:12px; fill:var(--ink); } .value { font-size:12px; fill:var(--ink); font-weight:600; }
.grid { stroke:#e6e9ee; } .line { fill:none; stroke:var(--accent); stroke-width:2; } .line.dashed { stroke-dasharray:6 4; }
.s1 .line, .key.s1 .line { stroke:#8a4b08; } .s1 .marker, .key.s1 .marker { fill:#8a4b08; }
.s2 .line { stroke:var(--ok); } .s2 .marker { fill:var(--ok); }
.marker { fill:var(--accent); } .band { fill:var(--band); stroke:none; }
.bar { fill:var(--accent); } .bar.b1 { fill:#5b7fa8; } .bar.b2 { fill:#8a4b08; } .bar.b3 { fill:#6b7280; }
.legend { display:flex; gap:16px; font-size:.85rem; color:var(--muted); padding:4px 0; } .key { display:inline-flex; gap:6px; align-items:center; }
details.data summary { cursor:pointer; color:var(--accent); font-size:.9rem; }
form.stack label { display:block; font-weight:600; margin-top:10px; }
form.stack input, form.stack select, form.stack textarea { display:block; width:100%; max-width:560px; padding:6px; border:1px solid #8a919c; border-radius:6px; font:inherit; box-sizing:border-box; }
form.stack textarea { font-family:ui-monospace, monospace; min-height:110px; }
.field-error { color:var(--bad); font-size:.88rem; margin:4px 0 0; }
[aria-invalid=true] { border-color:var(--bad) !important; outline:2px solid #a3202033; }
button, .button { background:var(--accent); color:#fff; border:0; border-radius:6px; padding:7px 14px; font:inherit; cursor:pointer; margin-top:12px; text-decoration:none; display:inline-block; }
button.secondary { background:#fff; color:var(--accent); border:1px solid var(--accent); }
button.link { background:none; color:var(--accent); padding:0; margin:0; text-decoration:underline; }
.notice { padding:8px 12px; border-radius:6px; } .notice.ok { background:#e3f4ec; color:#064a34; } .notice.error { background:#fbe9e9; color:#7a1515; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; border:1px solid var(--line); font-size:.8rem; }
.muted { color:var(--muted); } .row { display:flex; gap:16px; flex-wrap:wrap; align-items:flex-end; }
pre.trace { background:#0f1722; color:#e8edf3; padding:10px; border-radius:6px; overflow:auto; font-size:.85rem; }
.signin { max-width:460px; margin:40px auto; }
/* Rewards & tiers, customers */
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); clip-path:inset(50%); white-space:nowrap; }
.hint { color:var(--muted); font-size:.85rem; margin:4px 0 0; }
.scroll { overflow-x:auto; }
form.stack .row > .field { flex:1 1 180px; }
form.stack fieldset { border:1px solid var(--line); border-radius:8px; margin:12px 0 0; padding:4px 12px 10px; }
form.stack legend { font-weight:600; padding:0 4px; }
form.stack .check { display:flex; gap:8px; align-items:center; flex-wrap:wrap; margin-top:12px; }
form.stack .check label { display:inline; margin:0; } form.stack .check input { width:auto; display:inline; }
form.stack .check .field-error { flex-basis:100%; }
table.inputs td, table.inputs th { vertical-align:middle; } table.inputs .field label { margin:0; }
td.actions { white-space:nowrap; } td.actions form { display:inline; margin-left:10px; }
a.cancel { margin-left:14px; }
form.search { display:flex; gap:8px; align-items:flex-end; flex-wrap:wrap; } form.search input { padding:6px; border:1px solid #8a919c; border-radius:6px; font:inherit; min-width:260px; }
form.search label { display:block; font-weight:600; width:100%; } form.search button { margin-top:0; }
progress.tier { width:100%; max-width:420px; height:14px; }
form.stack .row { align-items:flex-start; } form.search .hint { flex-basis:100%; }
main h3 { font-size:1rem; margin-top:20px; } .pager a { margin-right:16px; }
/* insights: period filter, service-recovery list */
form.filters { display:flex; flex-wrap:wrap; gap:12px 20px; align-items:flex-start; background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 14px; margin:8px 0 4px; }
form.filters label { display:block; font-weight:600; font-size:.9rem; }
form.filters input, form.filters select { padding:5px 6px; border:1px solid #8a919c; border-radius:6px; font:inherit; margin-top:4px; }
form.filters .hint { font-size:.8rem; margin:4px 0 0; }
form.filters button { margin-top:22px; margin-right:8px; }
.block { display:block; font-weight:400; font-size:.82rem; }
table.detractors td.comment { max-width:460px; white-space:pre-line; }
/* webhooks */
fieldset.checks { display:grid; grid-template-columns:repeat(auto-fill,minmax(210px,1fr)); gap:4px 16px; max-width:760px; margin:12px 0 0; border:1px solid var(--line); border-radius:6px; }
fieldset.checks legend { font-weight:600; padding:0 4px; } fieldset.checks .field-error { grid-column:1/-1; }
form.stack .checks label { display:flex; gap:6px; align-items:center; font-weight:400; margin:0; }
form.stack .checks input { display:inline-block; width:auto; margin:0; }
.url { overflow-wrap:anywhere; } .small { font-size:.8rem; }
dl.details { display:grid; grid-template-columns:max-content 1fr; gap:4px 16px; margin:0; } dl.details dt { color:var(--muted); } dl.details dd { margin:0; }
.actions { display:flex; gap:8px; flex-wrap:wrap; } form.inline { display:inline; margin:0; } td form.inline button { margin-top:0; }
button.danger { background:var(--bad); } button.small { padding:3px 10px; }
.badge.failed { border-color:var(--bad); color:var(--bad); font-weight:600; } .badge.succeeded { border-color:var(--ok); color:var(--ok); } .badge.pending { border-color:#8a4b08; color:#8a4b08; }
section.secret { border-color:var(--accent); } input.secret-value { font-family:ui-monospace, monospace; width:100%; max-width:560px; padding:6px; border:1px solid #8a919c; border-radius:6px; box-sizing:border-box; }
form.filter select { padding:5px; border:1px solid #8a919c; border-radius:6px; font:inherit; } form.filter label { display:block; font-weight:600; }
/* earning rules */
form.stack fieldset { border:1px solid var(--line); border-radius:8px; margin:12px 0; padding:4px 14px 12px; max-width:940px; }
form.stack legend { font-weight:600; padding:0 4px; }
form.stack .row { align-items:flex-start; max-width:940px; }
form.stack .row > .field { flex:0 1 210px; }
form.stack .row > .field input, form.stack .row > .field select { max-width:none; }
form.stack .preview-inputs > .field { flex:1 1 320px; }
form.stack .check { display:flex; flex-wrap:wrap; gap:4px 8px; align-items:center; margin-top:10px; }
form.stack .check input { display:inline; width:auto; margin:0; }
form.stack .check label { display:inline; margin:0; font-weight:400; }
form.stack .check .field-hint, form.stack .check .field-error { flex-basis:100%; }
.field-hint { color:var(--muted); font-size:.85rem; margin:2px 0 4px; }
details.more { margin:14px 0; } details.more summary { cursor:pointer; color:var(--accent); font-weight:600; }
ul.error-list { background:#fbe9e9; border-radius:6px; padding:8px 12px 8px 28px; color:#7a1515; }
ul.error-list a { color:#7a1515; }
#preview { margin-top:12px; }
.preview-result ul.steps { margin:0; padding-left:18px; }
button.danger { background:var(--bad); }
table.rules code { font-size:.85rem; word-break:break-all; }
`;

/** Progressive enhancement only: every form works without it. */
export const JS = `
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-live-preview]')) {
    const out = document.getElementById(form.dataset.livePreview);
    let timer;
    const run = async () => {
      const res = await fetch(form.dataset.previewUrl, { method: 'POST', body: new FormData(form), headers: { 'x-requested-with': 'fetch' } });
      if (res.ok && out) out.innerHTML = await res.text();
    };
    form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 400); });
  }
  for (const button of document.querySelectorAll('button[data-confirm]')) {
    button.addEventListener('click', (e) => { if (!confirm(button.dataset.confirm)) e.preventDefault(); });
  }
});
`;
