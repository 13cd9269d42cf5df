// The Graph view: draws the server's layout (node centres, edge points) as SVG. A status change
// recolours one node in place; a new task or edge refetches /graph and redraws, keeping the
// user's pan and zoom. Keyboard: Tab or the arrow keys move between nodes, Enter opens one.
import { api } from './api.js';
import { coalesce, warn } from './coalesce.js';
import { h, replaceChildren, s } from './dom.js';
import { truncate } from './format.js';
import { changesShape } from './run-session.js';
import { STATUSES, statusBadge, summaryStatus, svgIcon } from './status.js';
import { createViewport } from './viewport.js';

export function renderGraph(root, session, openTask) {
  const svg = s('svg', { class: 'graph', role: 'group', 'aria-label': `Task graph of run ${session.runId}. Tab or arrow keys move between tasks, Enter opens one.` });
  const viewport = createViewport(svg);
  const nodes = new Map(); // id → { node, el }
  const groupOf = new Map(); // member task id → group node id
  let shape;

  replaceChildren(root,
    h('div', { class: 'graph-bar' }, legend(),
      h('span', { class: 'zoom' },
        h('button', { type: 'button', onclick: () => viewport.zoom(1 / 1.25), 'aria-label': 'Zoom in' }, '+'),
        h('button', { type: 'button', onclick: () => viewport.zoom(1.25), 'aria-label': 'Zoom out' }, '−'),
        h('button', { type: 'button', onclick: () => viewport.fit() }, 'Fit'))),
    svg);

  const draw = (graph) => {
    const focused = document.activeElement?.closest?.('.node')?.dataset.taskId;
    nodes.clear();
    groupOf.clear();
    const drawn = graph.nodes.map((node) => {
      const el = drawNode(node, openTask);
      nodes.set(node.id, { node, el });
      for (const member of node.collapsed?.members ?? []) groupOf.set(member, node.id);
      return el;
    });
    // Tab order follows the flow of the layout (left to right), then top to bottom.
    drawn.sort((a, b) => a.__node.x - b.__node.x || a.__node.y - b.__node.y);
    replaceChildren(svg, markers(), s('g', { class: 'edges' }, graph.edges.map(drawEdge)), s('g', { class: 'nodes' }, drawn));
    for (const id of nodes.keys()) refresh(id);
    viewport.setContent(graph.width, graph.height);
    shape = graph.shape;
    svg.dataset.shape = shape;
    if (focused) nodes.get(focused)?.el.focus();
  };

  /** Brings a node's status (and its group's counts) up to date with the session's copy of the run. */
  const refresh = (id) => {
    const entry = nodes.get(id);
    if (!entry) return;
    const { node, el } = entry;
    if (node.collapsed) {
      const byStatus = {};
      for (const member of node.collapsed.members) {
        const status = session.tasks.get(member)?.status;
        if (status) byStatus[status] = (byStatus[status] ?? 0) + 1;
      }
      const counts = Object.keys(byStatus).length > 0 ? byStatus : node.collapsed.byStatus;
      setStatus(el, node, summaryStatus(counts), STATUSES.filter((status) => counts[status]).map((status) => `${counts[status]} ${status}`).join(' · '));
    } else {
      const task = session.tasks.get(id);
      const blockedBy = task?.status === 'blocked' ? task.error?.dependency ?? node.blockedBy : node.blockedBy;
      const waitsFor = task === undefined || task.status === 'pending' ? node.waitsFor : undefined;
      setStatus(el, node, task?.status ?? node.status, blockedBy ? `⊘ blocked by ${blockedBy}` : waitsFor ? `waits for ${waitsFor} (write scope)` : '');
    }
  };

  const refetch = coalesce(async () => {
    const graph = await api.graph(session.runId);
    if (graph.shape !== shape) return draw(graph);
    // Same layout: only the server-side facts (write-scope waits) can have changed.
    for (const node of graph.nodes) {
      const entry = nodes.get(node.id);
      if (!entry) continue;
      entry.node = node;
      entry.el.__node = node;
      refresh(node.id);
    }
  });
  // Write-scope waits are not events: they change when a scoped task starts or ends.
  const scoped = () => [...session.tasks.values()].some((task) => task.writes !== undefined);
  const movesScopes = (event) => ['task-started', 'task-completed', 'task-failed', 'task-requeued', 'task-skipped'].includes(event.event) && scoped();

  const unsubscribe = session.subscribe((event) => {
    if (changesShape(event) || movesScopes(event)) refetch().catch(warn);
    if (event.taskId !== undefined) refresh(groupOf.get(event.taskId) ?? event.taskId);
    for (const id of event.unblocked ?? []) refresh(groupOf.get(id) ?? id);
  });

  svg.addEventListener('keydown', (event) => {
    const el = event.target.closest?.('.node');
    if (!el) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openTask(el.dataset.taskId);
    } else if (event.key.startsWith('Arrow')) {
      event.preventDefault();
      const next = nearestInDirection(el.__node, [...nodes.values()].map((entry) => entry.node), event.key);
      if (next) focusNode(nodes.get(next.id).el, viewport);
    }
  });

  const ready = api.graph(session.runId).then(draw);
  return {
    ready,
    close: unsubscribe,
    group: (id) => (nodes.get(id)?.node.collapsed ? nodes.get(id).node : undefined),
    focusTask: (id) => {
      const el = nodes.get(groupOf.get(id) ?? id)?.el;
      if (el) focusNode(el, viewport);
    },
  };
}

function drawNode(node, openTask) {
  const { width, height } = node;
  const twoLines = height >= 34;
  const maxChars = Math.max(4, Math.floor((width - 34) / 6.6));
  const el = s('g', { class: node.collapsed ? 'node group' : 'node', 'data-task-id': node.id, 'data-type': node.type, 'data-count': node.collapsed?.count, tabindex: 0, role: 'button', transform: `translate(${node.x - width / 2} ${node.y - height / 2})`, onclick: () => openTask(node.id) },
    node.collapsed ? s('rect', { class: 'stack', x: 4, y: -4, width, height, rx: 6 }) : null,
    s('rect', { class: 'box', width, height, rx: 6 }),
    svgIcon(node.status, { class: 'icon', x: 8, y: height / 2 - 8, width: 16, height: 16 }),
    // A task: its id above its label. A group: its label above its live counts (the note).
    node.collapsed
      ? s('text', { class: 'label', x: 30, y: height / 2 - 3 }, truncate(node.label, maxChars + 4))
      : twoLines
        ? [s('text', { class: 'id', x: 30, y: height / 2 - 4 }, truncate(node.id, maxChars)), s('text', { class: 'label', x: 30, y: height / 2 + 11 }, truncate(node.label, maxChars))]
        : s('text', { class: 'label', x: 30, y: height / 2 + 4 }, truncate(`${node.id} ${node.label}`, maxChars)),
    node.collapsed ? s('text', { class: 'note', x: 30, y: height / 2 + 13 }) : s('text', { class: 'note', x: 2, y: height + 13 }),
    s('title'));
  el.__node = node;
  return el;
}

/** Status as data attribute (colour), icon (shape), a note under the node, and the accessible name. */
function setStatus(el, node, status, note) {
  el.dataset.status = status;
  el.querySelector('use').setAttribute('href', `#icon-${status}`);
  el.querySelector('.note').textContent = note;
  const name = node.collapsed ? `${node.label}: ${note}` : `${node.id}, ${node.label}: ${status}${note ? `, ${note}` : ''}`;
  el.setAttribute('aria-label', name);
  el.querySelector('title').textContent = name;
}

function drawEdge(edge) {
  const [first, ...rest] = edge.points;
  const d = first ? `M${first.x} ${first.y}` + rest.map((point) => ` L${point.x} ${point.y}`).join('') : '';
  return s('path', { class: `edge ${edge.kind}`, d, 'data-from': edge.from, 'data-to': edge.to, 'data-kind': edge.kind, 'marker-end': `url(#arrow-${edge.kind})` });
}

function markers() {
  const arrow = (id, open) => s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    s('path', { d: open ? 'M1 1 L9 5 L1 9' : 'M0 0 L10 5 L0 10 Z', class: open ? 'arrow open' : 'arrow' }));
  return s('defs', {}, arrow('arrow-dependsOn', false), arrow('arrow-enqueuedBy', true));
}

function legend() {
  const line = (kind, text) => h('span', { class: 'legend-item' }, s('svg', { class: 'legend-line', viewBox: '0 0 30 10', 'aria-hidden': 'true' }, s('path', { class: `edge-sample ${kind}`, d: 'M1 5 L27 5' })), text);
  return h('div', { class: 'legend', 'aria-label': 'Legend' }, STATUSES.map(statusBadge), line('dependsOn', 'depends on'), line('enqueuedBy', 'enqueued by'));
}

/** The closest node in the arrow key's direction, favouring ones straight ahead. */
function nearestInDirection(from, candidates, key) {
  const [axis, sign] = { ArrowRight: ['x', 1], ArrowLeft: ['x', -1], ArrowDown: ['y', 1], ArrowUp: ['y', -1] }[key] ?? [];
  if (!axis) return undefined;
  const other = axis === 'x' ? 'y' : 'x';
  let best;
  let bestScore = Infinity;
  for (const node of candidates) {
    const ahead = (node[axis] - from[axis]) * sign;
    if (node === from || ahead <= 1) continue;
    const score = ahead + 3 * Math.abs(node[other] - from[other]);
    if (score < bestScore) [best, bestScore] = [node, score];
  }
  return best;
}

function focusNode(el, viewport) {
  el.focus({ preventScroll: true });
  viewport.reveal(el.__node);
}
