// Alarms: the hub's incidents with acknowledge and resolve, kept current from their event stream, and
// the agents' alarm events, newest first, with new ones pushed live.
import { api, follow } from './api.js';
import { h, clear, time, severityClass } from './dom.js';

const maxEventRows = 300;
const agentsAskedAtMost = 50;

export function render(main) {
  const incidentsSection = h('section', { id: 'incidents' });
  const stateFilter = h('select', { id: 'incident-state', 'aria-label': 'incident state' },
    ...['active', 'open', 'acknowledged', 'snoozed', 'resolved', 'all'].map(s => h('option', { value: s }, s)));
  const incidentRows = h('tbody', { id: 'incident-rows' });
  const incidentLiveState = h('span', { class: 'muted', id: 'incident-live-state' });
  const incidentError = h('p', { class: 'error', id: 'incident-error' });
  incidentsSection.append(
    h('div', { class: 'toolbar' }, h('h2', {}, 'Incidents ', incidentLiveState), stateFilter),
    incidentError,
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'opened'), h('th', {}, 'sev'), h('th', {}, 'state'), h('th', {}, 'agent'),
        h('th', {}, 'what'), h('th', {}, ''))),
      incidentRows)));
  const eventRows = h('tbody', { id: 'alarm-event-rows' });
  const liveState = h('span', { class: 'muted', id: 'alarm-live-state' });
  main.append(h('h1', {}, 'Alarms'), incidentsSection,
    h('h2', {}, 'Agent alarm events ', liveState),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'time'), h('th', {}, 'sev'), h('th', {}, 'event'), h('th', {}, 'agent'), h('th', {}, 'tag'), h('th', { class: 'hide-phone' }, 'message'))),
      eventRows)));

  // Incidents: /incidents/events sends changes only (the list tells the state). So the stream is opened
  // first and the list is loaded each time it (re)connects: nothing changed while it was down is missed. The
  // changes that arrive while the list is on its way are applied again on top of it, in the order they came.
  const incidents = new Map();
  const drawIncidents = () => {
    const wanted = stateFilter.value;
    const shown = [...incidents.values()]
      .filter(i => wanted === 'all' || i.state === wanted || (wanted === 'active' && i.state !== 'resolved'))
      .sort((a, b) => (b.openedAt || '').localeCompare(a.openedAt || '') || b.id - a.id);
    clear(incidentRows);
    for (const incident of shown) incidentRows.append(incidentRow(incident, updated => { incidents.set(updated.id, updated); drawIncidents(); }));
    if (shown.length === 0) incidentRows.append(h('tr', {}, h('td', { colspan: 6, class: 'empty' }, `No ${wanted === 'all' ? '' : `${wanted} `}incidents.`)));
  };
  let loading = null;
  const loadIncidents = async () => {
    const query = stateFilter.value === 'all' || stateFilter.value === 'active' ? '' : `&state=${stateFilter.value}`;
    const load = { arrived: [] };
    loading = load;
    try {
      const list = await api(`/api/v1/incidents?limit=200${query}`);
      // A newer load (another filter, a reconnect) supersedes this one.
      if (loading !== load) return;
      incidents.clear();
      for (const incident of [...list, ...load.arrived]) incidents.set(incident.id, incident);
      incidentError.textContent = '';
      drawIncidents();
    } catch (error) {
      if (loading === load) incidentError.textContent = error.message;
    } finally {
      if (loading === load) loading = null;
    }
  };
  stateFilter.addEventListener('change', loadIncidents);
  const incidentStream = follow('/api/v1/incidents/events', (name, data) => {
    if (name !== 'incident') return;
    loading?.arrived.push(data);
    incidents.set(data.id, data);
    drawIncidents();
  }, {
    onState: up => {
      incidentLiveState.textContent = up ? 'live' : 'reconnecting…';
      if (up) loadIncidents();
    },
  });

  // Alarm events: the last day of each agent, then live.
  const events = [];
  const drawEvents = () => {
    clear(eventRows);
    for (const e of events) {
      eventRows.append(h('tr', { dataset: { alarm: e.alarmId } },
        h('td', { title: e.time }, time(e.time)),
        h('td', {}, h('span', { class: severityClass(e.severity) }, e.severity)),
        h('td', {}, h('span', { class: `state ${e.kind}` }, e.kind)),
        h('td', {}, h('a', { href: `#/agent/${encodeURIComponent(e.agentId)}` }, e.agentId)),
        h('td', { class: 'mono' }, e.tag),
        h('td', { class: 'hide-phone' }, e.message)));
    }
    if (events.length === 0) eventRows.append(h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No alarm events in the last 24 hours.')));
  };
  const addEvents = list => {
    for (const e of list) {
      if (!events.some(x => x.agentId === e.agentId && x.sequence === e.sequence && x.alarmId === e.alarmId && x.kind === e.kind && x.time === e.time)) events.push(e);
    }
    events.sort((a, b) => b.time.localeCompare(a.time));
    events.splice(maxEventRows);
    drawEvents();
  };
  const loadEvents = async () => {
    const agents = (await api('/api/v1/agents')).slice(0, agentsAskedAtMost);
    const lists = await Promise.all(agents.map(a =>
      api(`/api/v1/agents/${encodeURIComponent(a.agentId)}/alarm-events?limit=100`).then(list => list.map(e => ({ ...e, agentId: a.agentId }))).catch(() => [])));
    addEvents(lists.flat());
  };
  const stream = follow('/api/v1/alarm-events/stream', (name, data) => { if (name === 'alarm') addEvents([data]); },
    { onState: up => { liveState.textContent = up ? 'live' : 'reconnecting…'; } });
  loadEvents().catch(error => main.append(h('p', { class: 'error' }, error.message)));

  return () => {
    stream.stop();
    incidentStream.stop();
  };
}

function incidentRow(incident, onUpdated) {
  const actions = h('td', { class: 'actions' });
  const act = (label, verb, body, secondary) => h('button', {
    type: 'button', class: secondary ? 'secondary' : '', dataset: { action: verb },
    onclick: async event => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        onUpdated(await api(`/api/v1/incidents/${encodeURIComponent(incident.id)}/${verb}`, { method: 'POST', body }));
      } catch (error) {
        actions.append(h('span', { class: 'error' }, ` ${error.message}`));
        button.disabled = false;
      }
    },
  }, label);
  if (incident.state === 'open' || incident.state === 'snoozed') actions.append(act('Acknowledge', 'acknowledge', {}));
  if (incident.state !== 'resolved') actions.append(' ', act('Resolve', 'resolve', {}, true));
  const what = [incident.message || incident.rule, incident.tag ? `(${incident.tag})` : ''].filter(Boolean).join(' ');
  const by = incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : '';
  return h('tr', { dataset: { incident: incident.id, state: incident.state } },
    h('td', { title: incident.openedAt }, time(incident.openedAt)),
    h('td', {}, h('span', { class: severityClass(incident.severity) }, incident.severity)),
    h('td', {}, h('span', { class: `state ${incident.state}` }, incident.state), incident.state === 'acknowledged' ? h('div', { class: 'muted' }, by) : ''),
    h('td', {}, incident.agentId ? h('a', { href: `#/agent/${encodeURIComponent(incident.agentId)}` }, incident.agentId) : '—'),
    h('td', {}, h('span', { class: 'muted' }, `${incident.source}: `), what),
    actions);
}
