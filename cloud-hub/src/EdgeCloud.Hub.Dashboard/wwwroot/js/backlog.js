// Backlog per agent: what waits in each outbox, largest first, refreshed every few seconds.
import { api } from './api.js';
import { h, clear, bytes, duration } from './dom.js';

const refreshMs = 5000;

export function render(main) {
  const body = h('tbody', { id: 'backlog-rows' });
  main.append(h('h1', {}, 'Backlog per agent'),
    h('p', { class: 'muted' }, 'Batches waiting in each agent\'s outbox (from its last health report), the time the agent expects to drain them, and what the hub holds.'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'agent'), h('th', {}, 'backlog'), h('th', {}, ''), h('th', {}, 'ETA'),
        h('th', { class: 'hide-phone' }, 'outbox'), h('th', { class: 'hide-phone' }, 'dropped'), h('th', { class: 'hide-phone' }, 'gaps'))),
      body)));

  const load = async () => {
    const agents = await api('/api/v1/agents');
    agents.sort((a, b) => (b.health?.backlogBatches || 0) - (a.health?.backlogBatches || 0) || a.agentId.localeCompare(b.agentId));
    const largest = Math.max(1, ...agents.map(a => a.health?.backlogBatches || 0));
    clear(body);
    for (const agent of agents) {
      const backlog = agent.health?.backlogBatches;
      const bar = h('span');
      bar.style.width = `${Math.round(((backlog || 0) / largest) * 100)}%`;
      body.append(h('tr', { dataset: { agent: agent.agentId } },
        h('td', {}, h('span', { class: `dot${agent.online ? ' online' : ''}` }), ' ', h('a', { href: `#/agent/${encodeURIComponent(agent.agentId)}` }, agent.agentId)),
        h('td', { class: 'num' }, backlog ?? '—'),
        h('td', {}, h('div', { class: 'backlog-bar' }, bar)),
        h('td', {}, duration(agent.health?.backlogEtaSeconds)),
        h('td', { class: 'num hide-phone' }, agent.health ? bytes(agent.health.outboxBytes) : '—'),
        h('td', { class: 'num hide-phone' }, agent.droppedPoints),
        h('td', { class: 'num hide-phone' }, agent.gaps)));
    }
    if (agents.length === 0) body.append(h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No agents yet.')));
  };

  load().catch(error => main.append(h('p', { class: 'error' }, error.message)));
  const timer = setInterval(() => load().catch(() => {}), refreshMs);
  return () => clearInterval(timer);
}
