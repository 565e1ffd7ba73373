// A small SVG time chart of our own: history (a line, or rollup averages with a min..max band) plus live
// points drawn on top in another colour. Redrawn whole on every change; a few thousand points at most.

const svgNs = 'http://www.w3.org/2000/svg';
const width = 800;
const height = 260;
const margin = { left: 56, right: 12, top: 12, bottom: 24 };
const maxLivePoints = 2000;

function svg(tag, attributes = {}) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

export class TimeChart {
  constructor(container) {
    this.root = svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', class: 'chart', role: 'img' });
    container.append(this.root);
    this.history = [];   // [{t: ms, v, min?, max?}]
    this.live = [];      // [{t: ms, v}]
    this.from = Date.now() - 3600e3;
    this.to = Date.now();
    this.label = '';
  }

  /** History points: from a telemetry answer's points (numbers only) or buckets. */
  setHistory(answer, from, to) {
    this.from = from;
    this.to = to;
    if (answer.buckets) {
      this.history = answer.buckets.map(b => ({ t: Date.parse(b.t), v: b.avg, min: b.min, max: b.max }));
    } else {
      this.history = (answer.points || [])
        .map(p => ({ t: Date.parse(p.t), v: typeof p.v === 'boolean' ? Number(p.v) : p.v }))
        .filter(p => typeof p.v === 'number' && Number.isFinite(p.v));
    }
    this.live = this.live.filter(p => p.t > this.lastHistoryTime());
    this.draw();
  }

  /** A live value; the time axis follows it when the range ends now. */
  addLive(isoTime, v) {
    const numeric = typeof v === 'boolean' ? Number(v) : v;
    if (typeof numeric !== 'number' || !Number.isFinite(numeric)) return;
    const t = Date.parse(isoTime);
    const last = this.live[this.live.length - 1];
    if (last && t <= last.t) return;
    this.live.push({ t, v: numeric });
    if (this.live.length > maxLivePoints) this.live.splice(0, this.live.length - maxLivePoints);
    if (t > this.to) {
      const span = this.to - this.from;
      this.to = t;
      this.from = t - span;
    }
    this.draw();
  }

  lastHistoryTime() {
    return this.history.length ? this.history[this.history.length - 1].t : -Infinity;
  }

  draw() {
    const root = this.root;
    root.replaceChildren();
    const visible = [...this.history, ...this.live].filter(p => p.t >= this.from && p.t <= this.to);
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    root.append(svg('line', { class: 'axis', x1: margin.left, y1: margin.top + plotH, x2: width - margin.right, y2: margin.top + plotH }));
    root.append(svg('line', { class: 'axis', x1: margin.left, y1: margin.top, x2: margin.left, y2: margin.top + plotH }));
    if (visible.length === 0) {
      const text = svg('text', { class: 'label', x: width / 2, y: height / 2, 'text-anchor': 'middle' });
      text.textContent = 'no numeric data in this range';
      root.append(text);
      root.dataset.points = '0';
      return;
    }

    let low = Math.min(...visible.map(p => p.min ?? p.v));
    let high = Math.max(...visible.map(p => p.max ?? p.v));
    if (low === high) { low -= 1; high += 1; }
    const pad = (high - low) * 0.05;
    low -= pad; high += pad;
    const x = t => margin.left + ((t - this.from) / (this.to - this.from || 1)) * plotW;
    const y = v => margin.top + (1 - (v - low) / (high - low)) * plotH;

    for (const fraction of [0, 0.5, 1]) {
      const v = low + (high - low) * fraction;
      const label = svg('text', { class: 'label', x: margin.left - 6, y: y(v) + 4, 'text-anchor': 'end' });
      label.textContent = formatTick(v);
      root.append(label);
    }
    for (const fraction of [0, 0.5, 1]) {
      const t = this.from + (this.to - this.from) * fraction;
      const anchor = fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle';
      const label = svg('text', { class: 'label', x: x(t), y: height - 6, 'text-anchor': anchor });
      label.textContent = new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: this.to - this.from < 3600e3 ? '2-digit' : undefined });
      root.append(label);
    }

    const history = this.history.filter(p => p.t >= this.from && p.t <= this.to);
    const banded = history.filter(p => p.min !== undefined);
    if (banded.length > 1) {
      const top = banded.map(p => `${x(p.t).toFixed(1)},${y(p.max).toFixed(1)}`);
      const bottom = banded.slice().reverse().map(p => `${x(p.t).toFixed(1)},${y(p.min).toFixed(1)}`);
      root.append(svg('polygon', { class: 'band', points: [...top, ...bottom].join(' ') }));
    }
    if (history.length) root.append(svg('polyline', { class: 'line', points: history.map(p => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') }));
    const live = this.live.filter(p => p.t >= this.from && p.t <= this.to);
    if (live.length) {
      const joined = history.length ? [history[history.length - 1], ...live] : live;
      root.append(svg('polyline', { class: 'live', points: joined.map(p => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') }));
      const last = live[live.length - 1];
      root.append(svg('circle', { cx: x(last.t), cy: y(last.v), r: 3, fill: '#b35900' }));
    }
    root.dataset.points = String(visible.length);
  }
}

function formatTick(v) {
  const magnitude = Math.abs(v);
  if (magnitude !== 0 && (magnitude < 0.01 || magnitude >= 1e6)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}
