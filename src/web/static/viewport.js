// Pan and zoom an <svg> by changing its viewBox: drag the background to pan, the wheel to zoom
// around the pointer. Once the user has moved the view, a redraw keeps it where they left it.
const PAD = 20;

export function createViewport(svg) {
  let content = { width: 0, height: 0 };
  let box = { x: 0, y: 0, w: 1, h: 1 };
  let moved = false;
  const apply = () => svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.w} ${box.h}`);
  const fit = () => {
    moved = false;
    // Never enlarge a small graph past 1:1; centre it instead.
    const w = Math.max(content.width + 2 * PAD, svg.clientWidth);
    const h = Math.max(content.height + 2 * PAD, svg.clientHeight);
    box = { x: (content.width - w) / 2, y: (content.height - h) / 2, w, h };
    apply();
  };
  /** Zooms by `factor` (> 1 shows more) around the point (cx, cy) in graph coordinates. */
  const zoom = (factor, cx = box.x + box.w / 2, cy = box.y + box.h / 2) => {
    moved = true;
    box = { x: cx - (cx - box.x) * factor, y: cy - (cy - box.y) * factor, w: box.w * factor, h: box.h * factor };
    apply();
  };
  const toGraph = (clientX, clientY) => {
    const matrix = svg.getScreenCTM()?.inverse();
    if (!matrix) return { x: box.x, y: box.y };
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix);
    return { x: point.x, y: point.y };
  };

  svg.addEventListener('wheel', (event) => {
    event.preventDefault();
    const at = toGraph(event.clientX, event.clientY);
    zoom(Math.exp(event.deltaY * 0.0015), at.x, at.y);
  }, { passive: false });

  let drag;
  svg.addEventListener('pointerdown', (event) => {
    if (event.target.closest('.node')) return;
    drag = { start: toGraph(event.clientX, event.clientY) };
    svg.setPointerCapture(event.pointerId);
    svg.classList.add('dragging');
  });
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const at = toGraph(event.clientX, event.clientY);
    moved = true;
    box = { ...box, x: box.x - (at.x - drag.start.x), y: box.y - (at.y - drag.start.y) };
    apply();
  });
  const stop = () => {
    drag = undefined;
    svg.classList.remove('dragging');
  };
  svg.addEventListener('pointerup', stop);
  svg.addEventListener('pointercancel', stop);

  return {
    fit,
    zoom,
    setContent(width, height) {
      content = { width, height };
      if (!moved) fit();
    },
    /** Pans so that a node (centre x, y) is in view, when it is not. */
    reveal(node) {
      const inside = node.x > box.x && node.x < box.x + box.w && node.y > box.y && node.y < box.y + box.h;
      if (inside) return;
      moved = true;
      box = { ...box, x: node.x - box.w / 2, y: node.y - box.h / 2 };
      apply();
    },
  };
}
