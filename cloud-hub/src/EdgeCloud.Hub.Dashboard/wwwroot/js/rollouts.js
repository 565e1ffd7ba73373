// Rollouts: campaigns with their stages (docs/rollouts.md: GET /api/v1/campaigns), kept live by
// /api/v1/campaigns/events, which sends every campaign when it opens (so also after a reconnect) and then each
// one whose revision changed. A view never replaces a newer one (revision order).
import { api, follow } from './api.js';
import { h, clear, time } from './dom.js';

export function render(main) {
  const list = h('div', { id: 'campaigns' });
  main.append(h('h1', {}, 'Rollouts'), list);
  const campaigns = new Map();
  let loaded = false;

  const draw = () => {
    clear(list);
    const shown = [...campaigns.values()].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)) || a.id.localeCompare(b.id));
    for (const campaign of shown) list.append(card(campaign));
    if (shown.length === 0 && loaded) list.append(h('p', { class: 'empty' }, 'No campaigns yet.'));
  };
  const keep = campaign => {
    const known = campaigns.get(campaign.id);
    if (!known || known.revision <= campaign.revision) campaigns.set(campaign.id, campaign);
  };

  const stream = follow('/api/v1/campaigns/events', (name, data) => {
    if (name !== 'campaign') return;
    keep(data);
    draw();
  });
  api('/api/v1/campaigns').then(answer => {
    for (const campaign of answer) keep(campaign);
    loaded = true;
    draw();
  }).catch(error => list.append(h('p', { class: 'error' }, error.message)));
  return () => stream.stop();
}

function artifactText(artifact) {
  return artifact ? `${artifact.kind} ${artifact.name} ${artifact.version}` : '—';
}

function card(campaign) {
  const stages = h('div', { class: 'stages' });
  for (const stage of campaign.stages) {
    const total = Math.max(1, stage.agents || 0);
    const done = h('span', { class: 'done' });
    done.style.width = `${(100 * (stage.succeeded || 0)) / total}%`;
    const failed = h('span', { class: 'failed' });
    failed.style.width = `${(100 * (stage.failed || 0)) / total}%`;
    stages.append(h('div', { class: `stage ${stage.state}`, dataset: { stage: stage.index } },
      h('strong', {}, `${stage.percent}%`), ' ', h('span', { class: `state ${stage.state}` }, stage.state),
      h('div', { class: 'muted' }, `${stage.succeeded}/${stage.agents} ok, ${stage.failed} failed, ${stage.pending} pending`),
      h('div', { class: 'bar' }, done, failed)));
  }
  const agents = h('tbody');
  for (const agent of campaign.agents) {
    agents.append(h('tr', {},
      h('td', {}, h('a', { href: `#/agent/${encodeURIComponent(agent.agentId)}` }, agent.agentId)),
      h('td', { class: 'num' }, agent.stage),
      h('td', {}, h('span', { class: `state ${agent.state}` }, agent.state)),
      h('td', { class: 'hide-phone' }, agent.runningVersion || '—'),
      h('td', { class: 'hide-phone' }, agent.reason || '')));
  }
  const details = h('details', {}, h('summary', {}, `${campaign.agents.length} agents`),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'agent'), h('th', {}, 'stage'), h('th', {}, 'state'), h('th', { class: 'hide-phone' }, 'running'), h('th', { class: 'hide-phone' }, 'reason'))),
      agents)));
  return h('article', { class: 'card', dataset: { campaign: campaign.id } },
    h('h2', {}, campaign.name, ' ', h('span', { class: `state ${campaign.state}`, dataset: { field: 'state' } }, campaign.state)),
    h('p', { class: 'muted' }, artifactText(campaign.artifact), ` · created ${time(campaign.createdAt)} by ${campaign.createdBy}`),
    campaign.detail ? h('p', { class: 'detail' }, campaign.detail) : null,
    stages, details);
}
