/**
 * Styles of the document views (OCR page, pair view, 低置信度), served as
 * /static/documents.css. No inline styles: the CSP forbids them.
 */
export const DOCUMENTS_CSS = `
.lowconf { display:inline-block; margin-left:6px; padding:0 6px; border-radius:3px; background:#fff4e5; color:#b45309;
  border:1px solid #f5c27a; font-size:12px; font-weight:600; }
.words { margin-top:4px; }
table.docfacts td.number { white-space:nowrap; font-variant-numeric:tabular-nums; }
ul.pairs { margin:0; padding-left:18px; } ul.pairs li { margin:4px 0; }
ul.pairs li.differs b.bad, .pair-verdict.differs { color:#b42318; }
.pair-verdict.same, ul.pairs .ok { color:#1f7a3d; }
table.pair-facts tr.diff td, ol.pair-lines li.diff { background:#fde8e7; color:#8a1c14; font-weight:600; }
.pair-texts { display:grid; grid-template-columns:1fr 1fr; gap:16px; }
ol.pair-lines { margin:0; padding-left:22px; font-size:13px; } ol.pair-lines li { padding:1px 4px; }
tr.lowrow td { background:#fff8ec; }
.ocr-view { display:grid; grid-template-columns:minmax(0,3fr) minmax(260px,2fr); gap:16px; align-items:start; }
.ocr-toggle { grid-column:1 / -1; grid-row:1; justify-self:start; align-self:center; margin:0; }
.ocr-toggle-label { grid-column:1 / -1; grid-row:1; margin-left:22px; align-self:center; cursor:pointer; }
svg.ocr-page { width:100%; height:auto; background:#fff; border:1px solid #d6dce3; }
svg.ocr-page .ocr-lines rect { fill:rgba(255,255,255,.86); stroke:#28588f; stroke-width:1; }
svg.ocr-page .ocr-lines text { fill:#1c3f6e; font-family:"Noto Sans CJK SC","Noto Sans SC","WenQuanYi Micro Hei",sans-serif; }
svg.ocr-page .ocr-lines g.low rect { stroke:#b45309; fill:rgba(255,244,229,.9); } svg.ocr-page .ocr-lines g.low text { fill:#b45309; }
.ocr-toggle:not(:checked) ~ svg.ocr-page .ocr-lines { display:none; }
.ocr-text ol { padding-left:22px; font-size:13px; } .ocr-text li.low { color:#b45309; }
`;
