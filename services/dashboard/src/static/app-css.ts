/**
 * The dashboard's one stylesheet, served as /static/app.css and inlined into
 * the static register export. No inline style attributes anywhere: the CSP
 * forbids them, so every look is a class here.
 */
export const APP_CSS = `
:root { --ink:#1d2733; --muted:#5b6673; --line:#d6dce3; --bg:#f3f5f8; --panel:#fff; --brand:#1c3f6e; --brand2:#28588f;
  --ok:#1f7a3d; --bad:#b42318; --warn:#b45309; --chip:#eef2f7; }
* { box-sizing:border-box; }
html { font-size:14px; }
body { margin:0; color:var(--ink); background:var(--bg); line-height:1.5;
  font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif; }
a { color:var(--brand2); text-decoration:none; } a:hover { text-decoration:underline; }
header.top { background:var(--brand); color:#fff; display:flex; align-items:center; gap:24px; padding:0 20px; height:48px; position:sticky; top:0; z-index:20; }
header.top .title { font-weight:700; font-size:16px; letter-spacing:.5px; white-space:nowrap; }
header.top nav { display:flex; gap:4px; flex:1; }
header.top nav a { color:#dbe6f5; padding:13px 12px; font-size:14px; }
header.top nav a.on, header.top nav a:hover { color:#fff; background:rgba(255,255,255,.12); text-decoration:none; }
header.top .who { font-size:13px; color:#dbe6f5; display:flex; gap:10px; align-items:center; white-space:nowrap; }
header.top .who button { background:transparent; border:1px solid #7f9cc4; color:#fff; padding:2px 10px; border-radius:3px; cursor:pointer; }
main { padding:16px 20px 40px; max-width:1800px; margin:0 auto; }
h1 { font-size:20px; margin:4px 0 12px; } h2 { font-size:16px; margin:0 0 10px; } h3 { font-size:14px; margin:12px 0 6px; }
.sub { color:var(--muted); font-size:13px; }
.panel { background:var(--panel); border:1px solid var(--line); border-radius:4px; padding:14px 16px; margin-bottom:14px; }
.grid { display:grid; gap:14px; }
.grid.kpi { grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); }
.grid.two { grid-template-columns:repeat(auto-fit,minmax(420px,1fr)); }
.kpi .card { background:var(--panel); border:1px solid var(--line); border-top:3px solid var(--brand2); border-radius:4px; padding:10px 14px; }
.kpi .card a { color:inherit; display:block; } .kpi .card a:hover { text-decoration:none; } .kpi .card a:hover .l { text-decoration:underline; }
.kpi .card .n { font-size:28px; font-weight:700; line-height:1.2; }
.kpi .card .l { color:var(--muted); font-size:13px; }
.kpi .card.bad { border-top-color:var(--bad); } .kpi .card.warn { border-top-color:var(--warn); } .kpi .card.ok { border-top-color:var(--ok); }
.kpi .card.deadline .n { font-size:18px; padding-top:6px; }
.past { color:var(--bad); }
table { border-collapse:collapse; width:100%; background:var(--panel); }
th, td { border-bottom:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top; font-size:13px; }
th { background:#e9eef5; font-weight:600; white-space:nowrap; }
.table-wrap { overflow:auto; max-height:calc(100vh - 230px); border:1px solid var(--line); border-radius:4px; }
.table-wrap thead th { position:sticky; top:0; z-index:5; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.nowrap { white-space:nowrap; }
tbody tr:hover { background:#f6f9fc; }
.yes { color:var(--ok); font-weight:700; } .no { color:var(--bad); font-weight:700; }
.flag { display:inline-block; background:#fdecea; color:var(--bad); border:1px solid #f5c2bd; border-radius:3px; padding:0 5px; margin:1px 2px 1px 0; font-size:12px; white-space:nowrap; }
.flag.info { background:#fff6e5; color:var(--warn); border-color:#f3d9a4; }
.status { display:inline-block; border-radius:3px; padding:0 6px; font-size:12px; background:var(--chip); white-space:nowrap; }
.status.preliminary-passed, .status.selected { background:#e3f4e8; color:var(--ok); }
.status.preliminary-failed, .status.rejected { background:#fdecea; color:var(--bad); }
.status.expert-review { background:#e6effb; color:var(--brand2); }
form.filters { display:flex; flex-wrap:wrap; gap:8px; align-items:flex-end; margin-bottom:10px; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
input, select, textarea, button { font:inherit; font-size:13px; }
input[type=text], input[type=search], input[type=password], select, textarea { border:1px solid #b9c3cf; border-radius:3px; padding:4px 6px; background:#fff; }
textarea { width:100%; min-height:54px; }
button, .btn { background:var(--brand2); color:#fff; border:1px solid var(--brand2); border-radius:3px; padding:4px 12px; cursor:pointer; display:inline-block; }
.btn.light, button.light { background:#fff; color:var(--brand2); }
button.danger { background:var(--bad); border-color:var(--bad); }
.pager { display:flex; gap:8px; align-items:center; margin-top:8px; color:var(--muted); font-size:13px; }
.empty { text-align:center; color:var(--muted); padding:40px 10px; font-size:15px; }
.live { font-size:12px; color:var(--muted); } .live.on::before { content:"●"; color:var(--ok); margin-right:4px; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 14px; margin:0; font-size:13px; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
.timeline { list-style:none; margin:0; padding:0; }
.timeline > li { border-left:3px solid var(--brand2); padding:6px 0 10px 14px; margin-left:6px; position:relative; }
.timeline > li.late { border-left-color:var(--bad); }
.timeline .meta { color:var(--muted); font-size:12px; }
.att { border:1px solid var(--line); border-radius:3px; padding:6px 8px; margin:6px 0; background:#fafbfd; }
.att .name { font-weight:600; word-break:break-all; }
.att .err { color:var(--bad); font-size:12px; }
.att .actions { font-size:12px; display:flex; gap:10px; margin-top:3px; }
.att iframe { width:100%; height:480px; border:1px solid var(--line); margin-top:6px; background:#fff; }
.att img.preview { max-width:100%; max-height:480px; border:1px solid var(--line); margin-top:6px; }
details > summary { cursor:pointer; color:var(--brand2); font-size:12px; }
pre.reply { white-space:pre-wrap; background:#f7f7f7; border:1px solid var(--line); padding:8px; font-size:12px; max-height:300px; overflow:auto; }
.evidence { font-size:12px; color:var(--muted); border-left:2px solid var(--line); padding-left:8px; margin:3px 0; }
.bars { width:100%; } .bars td { border:none; padding:3px 6px; }
.bar { background:#e9eef5; height:14px; border-radius:2px; min-width:140px; }
.bar svg { display:block; }
.missing-groups { columns:2 320px; column-gap:24px; }
.missing-groups .grp { break-inside:avoid; margin-bottom:8px; }
.missing-groups .grp b { display:block; } .missing-groups .grp b span { font-size:12px; font-weight:400; } .missing-groups .grp b span.no { color:var(--bad); } .missing-groups .grp b span.yes { color:var(--ok); }
.missing-groups .grp span { color:var(--muted); font-size:13px; }
.notice { background:#fff8e6; border:1px solid #f3d9a4; padding:8px 12px; border-radius:3px; margin-bottom:12px; font-size:13px; }
.notice.error { background:#fdecea; border-color:#f5c2bd; }
.login { max-width:360px; margin:10vh auto; }
.login label { display:block; margin:10px 0 4px; font-size:13px; color:var(--muted); }
.login input { width:100%; padding:7px 8px; }
.login button { margin-top:16px; width:100%; padding:8px; font-size:14px; }
.chart svg { width:100%; height:auto; display:block; }
.inline-form { display:flex; gap:6px; flex-wrap:wrap; align-items:center; margin:4px 0; }
.muted { color:var(--muted); }
details.fix { display:block; margin:2px 0; }
details.fix > summary { font-size:12px; }
.fix-form { display:flex; flex-direction:column; gap:5px; background:#f7f9fc; border:1px solid var(--line); border-radius:3px; padding:8px 10px; margin:4px 0; min-width:22em; max-width:36em; }
.fix-form label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
.fix-form label.check { flex-direction:row; align-items:center; gap:6px; color:var(--ink); }
.fix-form fieldset { border:1px solid var(--line); border-radius:3px; padding:4px 8px; margin:0; }
.fix-form legend { font-size:12px; color:var(--muted); }
.fix-form button { align-self:flex-start; }
.reading { color:var(--muted); font-size:12px; }
.corrected { background:#ddebf7; border-radius:2px; padding:0 3px; }
.corrected-mark { display:inline-block; background:#ddebf7; color:#1c3f6e; border:1px solid #9dc3e6; border-radius:3px; padding:0 5px; font-size:12px; margin-left:4px; white-space:nowrap; }
tr.has-fix { background:#f3f8fd; }
td.fix-cell { width:1%; white-space:nowrap; }
.status.applied { background:#ddebf7; color:var(--brand); }
.status.agrees { background:#e3f4e8; color:var(--ok); }
.status.stale { background:#fff6e5; color:var(--warn); }
table.corrections tr.removed td { color:var(--muted); text-decoration:line-through; }
table.corrections tr.removed td:last-child, table.corrections tr.removed td:nth-last-child(2) { text-decoration:none; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:10px; }
@media (max-width: 900px) { header.top { flex-wrap:wrap; height:auto; } main { padding:10px; } .grid.two { grid-template-columns:1fr; } }
@media (min-width: 1600px) { html { font-size:15px; } th, td { font-size:14px; } }
@media print { header.top, form, .actions, button { display:none !important; } .table-wrap { max-height:none; overflow:visible; } }
`;
