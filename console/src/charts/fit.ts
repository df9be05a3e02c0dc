/**
 * A chart as wide as its box: drawn for the box's width, and again whenever the box changes
 * width (a window resized, a phone turned), until its view is left. A chart that needs more
 * room than the box to stay legible draws at its own minimum and scrolls inside the box.
 */
import { type Attributes, h } from '../dom.ts';

export type Chart = HTMLElement | SVGSVGElement;

/**
 * A box is measured only once it is in the page, which is after its view is built: the first
 * drawing, at this width, is replaced by the observer's in the same frame, before it is
 * painted, and keeps the chart present for whoever reads the view as soon as it is built.
 */
const UNMEASURED_WIDTH = 640;

export const fittedChart = (
  attributes: Attributes,
  draw: (width: number) => Chart,
  signal: AbortSignal,
): HTMLDivElement => {
  let drawn = UNMEASURED_WIDTH;
  const box = h('div', attributes, draw(drawn));
  const observer = new ResizeObserver((entries) => {
    const width = Math.floor(entries.at(-1)?.contentRect.width ?? 0);
    // 0 is a box out of the page or hidden: nothing to fit until it is back.
    if (width === 0 || width === drawn) return;
    drawn = width;
    box.replaceChildren(draw(width));
  });
  observer.observe(box);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  return box;
};
