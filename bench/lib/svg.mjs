// A hand-made SVG bar chart of the results: one panel per figure, the
// package and the baseline as two bars on the same scale, the sandbox floor
// and the target as marks, the ratio and whether the target is met.

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const COLORS = { pkg: "#d9622b", baseline: "#3b6ea8", floor: "#555", met: "#1a7f37", miss: "#c62828" };

/** Where the target mark goes on the value scale, or null. */
function targetValue(row) {
  if (!row.target) return null;
  const times = row.target.match(/([\d.]+) × baseline/);
  if (times) return Number(times[1]) * row.baseline;
  if (row.key === "browser") return 20_480;
  if (row.key === "cold") return 10;
  if (row.key === "rss") return 2 * 2 ** 20;
  return null;
}

export function renderSvg(rows, meta) {
  const W = 860, left = 24, barX = 24, barMax = 600, panelH = 78, top = 70;
  const charted = rows.filter((r) => r.baseline !== null && r.baseline !== undefined);
  const textRows = rows.filter((r) => !charted.includes(r));
  const H = top + charted.length * panelH + textRows.length * 24 + 40;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${left}" y="26" font-size="16" font-weight="600">liveagent-reseller (wasm) vs a hand-written JS client</text>`);
  out.push(`<text x="${left}" y="46" fill="#555">Node ${esc(meta.node)}, ${esc(meta.cpus)}; ${esc(meta.wasm)}; ${esc(meta.date.slice(0, 16).replace("T", " "))} UTC</text>`);
  const legend = [["pkg", "package"], ["baseline", "baseline"]];
  legend.forEach(([k, name], i) => {
    const x = W - 270 + i * 100;
    out.push(`<rect x="${x}" y="56" width="12" height="12" fill="${COLORS[k]}"/><text x="${x + 17}" y="66">${name}</text>`);
  });
  out.push(`<line x1="${W - 60}" y1="56" x2="${W - 60}" y2="68" stroke="${COLORS.floor}" stroke-dasharray="3 2"/><text x="${W - 55}" y="66">floor</text>`);

  let y = top;
  for (const row of charted) {
    const target = targetValue(row);
    const max = Math.max(row.pkg, row.baseline, row.floor ?? 0, target ?? 0, 1e-9) * 1.02;
    const scale = (v) => Math.max(0, (v / max) * barMax);
    const ratio = row.pkg / row.baseline;
    const status = row.target ? (row.met ? "met" : "not met") : "";
    out.push(`<text x="${left}" y="${y + 14}" font-weight="600">${esc(row.label)}</text>`);
    const ratioText = row.baseline > 0 && row.pkg >= 0 ? `${ratio.toFixed(2)}× baseline` : "";
    out.push(`<text x="${W - 24}" y="${y + 14}" text-anchor="end">${esc(ratioText)}${row.target
      ? `<tspan fill="${row.met ? COLORS.met : COLORS.miss}" font-weight="600">${esc(`  target ${row.target}: ${status}`)}</tspan>` : ""}</text>`);
    const tickX = target === null ? null : barX + scale(target);
    [["pkg", row.pkg], ["baseline", row.baseline]].forEach(([k, v], i) => {
      const by = y + 22 + i * 22;
      const w = scale(v);
      let labelX = barX + w + 6;
      // The target tick crosses the package bar's row: keep the label clear of it.
      if (i === 0 && tickX !== null && tickX >= labelX - 8 && tickX < labelX + 80) labelX = tickX + 6;
      out.push(`<rect x="${barX}" y="${by}" width="${w.toFixed(1)}" height="18" fill="${COLORS[k]}"/>`);
      out.push(`<text x="${labelX.toFixed(1)}" y="${by + 13}">${esc(row.fmt(v))}</text>`);
    });
    if (row.floor !== undefined && row.floor !== null) {
      const fx = barX + scale(row.floor);
      out.push(`<line x1="${fx.toFixed(1)}" y1="${y + 19}" x2="${fx.toFixed(1)}" y2="${y + 65}" stroke="${COLORS.floor}" stroke-dasharray="3 2"><title>${esc(`sandbox floor ${row.fmt(row.floor)}`)}</title></line>`);
    }
    if (tickX !== null) {
      const tx = tickX;
      out.push(`<line x1="${tx.toFixed(1)}" y1="${y + 19}" x2="${tx.toFixed(1)}" y2="${y + 43}" stroke="${row.met ? COLORS.met : COLORS.miss}" stroke-width="2"><title>${esc(`target ${row.target}`)}</title></line>`);
    }
    y += panelH;
  }
  for (const row of textRows) {
    const status = row.target ? `  target ${row.target}: ${row.met ? "met" : "not met"}` : "";
    out.push(`<text x="${left}" y="${y + 16}"><tspan font-weight="600">${esc(row.label)}:</tspan> package ${esc(row.fmt(row.pkg))}<tspan fill="${row.met ? COLORS.met : COLORS.miss}" font-weight="600">${esc(status)}</tspan></text>`);
    y += 24;
  }
  out.push(`<text x="${left}" y="${H - 12}" fill="#777" font-size="11">Bars of a panel share one scale from 0. Green/red tick: the target. Dashed: the sandbox floor (raw fetch + text). See results.md.</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
