// One agent: its health, every tag's value live (server-sent events), a chart of one tag (history from the
// telemetry API at the chosen resolution, live values drawn on top), and its recent alarm events.
import { api, follow } from './api.js';
import { h, clear, ago, bytes, duration, time, value, severityClass } from './dom.js';
import { TimeChart } from './chart.js';

const ranges = { '15m': 15 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3 };

export function render(main, [agentId]) {
  const facts = h('dl', { class: 'facts', id: 'agent-facts' });
  const tags = h('tbody', { id: 'tag-rows' });
  const liveState = h('span', { class: 'muted', id: 'live-state' }, 'connecting…');
  const range = h('select', { id: 'range', 'aria-label': 'time range' }, ...Object.keys(ranges).map(r => h('option', { value: r, selected: r === '1h' }, r)));
  const resolution = h('select', { id: 'resolution', 'aria-label': 'resolution' }, ...['auto', 'raw', '1m', '1h'].map(r => h('option', { value: r }, r)));
  const chartTitle = h('strong', { id: 'chart-tag' }, 'pick a tag');
  const chartNote = h('span', { class: 'muted', id: 'chart-note' });
  const chartBox = h('div', { id: 'chart' });
  const alarms = h('tbody', { id: 'agent-alarm-rows' });
  main.append(
    h('h1', {}, h('span', { class: 'dot', id: 'agent-dot' }), ' ', agentId),
    h('div', { class: 'grid2' },
      h('section', { class: 'card' }, h('h2', {}, 'Health'), facts),
      h('section', { class: 'card' },
        h('div', { class: 'toolbar' }, chartTitle, range, resolution, chartNote),
        chartBox)),
    h('h2', {}, 'Tags ', liveState),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'tag'), h('th', {}, 'value'), h('th', {}, 'quality'), h('th', { class: 'hide-phone' }, 'time'))),
      tags)),
    h('h2', {}, 'Alarm events'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'time'), h('th', {}, 'sev'), h('th', {}, 'event'), h('th', {}, 'tag'), h('th', { class: 'hide-phone' }, 'message'))),
      alarms)));

  const chart = new TimeChart(chartBox);
  const rows = new Map();
  let selected = null;

  const loadAgent = async () => {
    const agent = await api(`/api/v1/agents/${encodeURIComponent(agentId)}`);
    const health = agent.health;
    document.getElementById('agent-dot')?.classList.toggle('online', agent.online);
    clear(facts).append(
      h('dt', {}, 'state'), h('dd', { class: agent.online ? 'ok' : 'muted' }, agent.online ? `online since ${time(agent.connectedAt)}` : 'offline'),
      h('dt', {}, 'last seen'), h('dd', { title: agent.lastSeen }, ago(agent.lastSeen)),
      h('dt', {}, 'version'), h('dd', {}, agent.agentVersion || '—'),
      h('dt', {}, 'stored'), h('dd', {}, `${agent.batches} batches, ${agent.points} points, highest sequence ${agent.highestSequence}`),
      h('dt', {}, 'gaps / dropped'), h('dd', {}, `${agent.gaps} open gaps, ${agent.droppedPoints} points dropped at the edge`),
      h('dt', {}, 'outbox'), h('dd', {}, health ? `${health.outboxBatches} batches, ${bytes(health.outboxBytes)}` : '—'),
      h('dt', {}, 'backlog'), h('dd', {}, health ? `${health.backlogBatches} batches, ETA ${duration(health.backlogEtaSeconds)}` : '—'),
      h('dt', {}, 'poll errors'), h('dd', { class: health?.pollErrors ? 'bad' : '' }, health ? health.pollErrors : '—'),
      h('dt', {}, 'clock'), h('dd', {}, health ? (health.clockSynchronized ? 'synchronized' : 'not synchronized') : '—'));
  };

  const loadHistory = async () => {
    if (!selected) return;
    const to = Date.now();
    const from = to - ranges[range.value];
    const query = new URLSearchParams({ agent: agentId, tag: selected, from: new Date(from).toISOString(), to: new Date(to).toISOString(), resolution: resolution.value, limit: '5000' });
    chartNote.textContent = 'loading…';
    try {
      const answer = await api(`/api/v1/telemetry?${query}`);
      chart.setHistory(answer, from, to);
      chartNote.textContent = `${answer.resolution}${answer.truncated ? ', truncated' : ''}`;
    } catch (error) {
      chartNote.textContent = error.message;
    }
  };

  const select = tag => {
    selected = tag;
    chartTitle.textContent = tag;
    chart.live = [];
    for (const [name, row] of rows) row.classList.toggle('selected', name === tag);
    loadHistory();
  };

  const upsert = latest => {
    let row = rows.get(latest.tag);
    const cells = [
      h('td', { class: 'mono' }, latest.tag),
      h('td', { class: 'num' }, h('span', { class: 'flash', dataset: { field: 'value' } }, value(latest.value))),
      h('td', { class: latest.quality === 'good' ? '' : 'bad' }, latest.quality),
      h('td', { class: 'hide-phone', title: latest.time }, time(latest.time), latest.stored ? '' : ' (live)'),
    ];
    if (!row) {
      row = h('tr', { class: 'clickable', dataset: { tag: latest.tag }, onclick: () => select(latest.tag) });
      rows.set(latest.tag, row);
      const after = [...rows.keys()].sort().find(t => t > latest.tag);
      tags.insertBefore(row, after ? rows.get(after) : null);
    }
    row.replaceChildren(...cells);
    if (latest.tag === selected) chart.addLive(latest.time, latest.value);
  };

  const live = follow(`/api/v1/agents/${encodeURIComponent(agentId)}/live`, (name, data) => {
    if (name === 'values') {
      for (const latest of data) upsert(latest);
      if (!selected && rows.size) select([...rows.keys()].sort()[0]);
    } else if (name === 'dropped') {
      liveState.textContent = 'fell behind, reconnecting…';
    }
  }, { onState: up => { liveState.textContent = up ? 'live' : 'reconnecting…'; } });

  const loadAlarms = async () => {
    const events = await api(`/api/v1/agents/${encodeURIComponent(agentId)}/alarm-events?limit=50`);
    clear(alarms);
    for (const e of events) {
      alarms.append(h('tr', {},
        h('td', { title: e.time }, time(e.time)),
        h('td', {}, h('span', { class: severityClass(e.severity) }, e.severity)),
        h('td', {}, h('span', { class: `state ${e.kind}` }, e.kind)),
        h('td', { class: 'mono' }, e.tag),
        h('td', { class: 'hide-phone' }, e.message)));
    }
    if (events.length === 0) alarms.append(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No alarm events in the last 24 hours.')));
  };

  range.addEventListener('change', loadHistory);
  resolution.addEventListener('change', loadHistory);
  loadAgent().catch(error => main.prepend(h('p', { class: 'error' }, error.message)));
  loadAlarms().catch(() => {});
  const timer = setInterval(() => { loadAgent().catch(() => {}); loadAlarms().catch(() => {}); }, 10000);
  return () => { clearInterval(timer); live.stop(); };
}
