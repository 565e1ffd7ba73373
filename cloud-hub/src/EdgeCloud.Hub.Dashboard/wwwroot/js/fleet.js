// Fleet: one tile per agent with its health, online state pushed live (presence events), the rest refreshed.
import { api, follow } from './api.js';
import { h, clear, ago, bytes, duration } from './dom.js';

const refreshMs = 5000;

export function render(main) {
  const summary = h('div', { class: 'summary', id: 'fleet-summary' });
  const map = h('div', { class: 'map', id: 'fleet-map' });
  main.append(h('h1', {}, 'Fleet'), summary, map);
  let agents = [];
  const online = new Map();

  const draw = () => {
    const up = agents.filter(a => online.get(a.agentId) ?? a.online).length;
    const backlog = agents.reduce((sum, a) => sum + (a.health?.backlogBatches || 0), 0);
    clear(summary).append(
      h('span', { class: 'pill' }, 'agents ', h('strong', {}, agents.length)),
      h('span', { class: 'pill' }, 'online ', h('strong', { id: 'fleet-online' }, up)),
      h('span', { class: 'pill' }, 'offline ', h('strong', {}, agents.length - up)),
      h('span', { class: 'pill' }, 'backlog ', h('strong', {}, backlog), ' batches'));
    clear(map);
    if (agents.length === 0) {
      map.append(h('p', { class: 'empty' }, 'No agent has connected to this hub yet.'));
      return;
    }
    for (const agent of agents) map.append(tile(agent, online.get(agent.agentId) ?? agent.online));
  };

  const load = async () => {
    agents = await api('/api/v1/agents');
    agents.sort((a, b) => a.agentId.localeCompare(b.agentId));
    for (const agent of agents) online.set(agent.agentId, agent.online);
    draw();
  };

  const presence = follow('/api/v1/fleet/events', (name, data) => {
    if (name !== 'presence') return;
    online.set(data.agentId, data.online);
    if (!agents.some(a => a.agentId === data.agentId)) load().catch(() => {});
    else draw();
  });
  load().catch(error => map.append(h('p', { class: 'error' }, error.message)));
  const timer = setInterval(() => load().catch(() => {}), refreshMs);
  return () => { clearInterval(timer); presence.stop(); };
}

function tile(agent, isOnline) {
  const health = agent.health;
  const pollErrors = health?.pollErrors ?? 0;
  const clockOk = health ? health.clockSynchronized : null;
  const warn = isOnline && (pollErrors > 0 || clockOk === false || (health?.backlogBatches || 0) > 0);
  return h('article', { class: `tile${isOnline ? ' online' : ''}${warn ? ' warn' : ''}`, dataset: { agent: agent.agentId } },
    h('h3', {}, h('span', { class: `dot${isOnline ? ' online' : ''}`, title: isOnline ? 'online' : 'offline' }),
      h('a', { href: `#/agent/${encodeURIComponent(agent.agentId)}` }, agent.agentId)),
    h('dl', {},
      h('dt', {}, 'state'), h('dd', { class: isOnline ? 'ok' : 'muted', dataset: { field: 'online' } }, isOnline ? 'online' : 'offline'),
      h('dt', {}, 'last seen'), h('dd', { title: agent.lastSeen }, ago(agent.lastSeen)),
      h('dt', {}, 'version'), h('dd', {}, agent.agentVersion || '—'),
      h('dt', {}, 'outbox'), h('dd', {}, health ? `${health.outboxBatches} batches, ${bytes(health.outboxBytes)}` : '—'),
      h('dt', {}, 'backlog'), h('dd', {}, health ? `${health.backlogBatches} batches${health.backlogEtaSeconds ? `, ETA ${duration(health.backlogEtaSeconds)}` : ''}` : '—'),
      h('dt', {}, 'poll errors'), h('dd', { class: pollErrors > 0 ? 'bad' : '' }, health ? pollErrors : '—'),
      h('dt', {}, 'clock'), h('dd', { class: clockOk === false ? 'bad' : clockOk ? 'ok' : 'muted' }, clockOk === null ? '—' : clockOk ? 'synchronized' : 'not synchronized'),
      h('dt', {}, 'stored'), h('dd', {}, `${agent.points} points, ${agent.gaps} gaps`)));
}
