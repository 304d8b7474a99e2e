/**
 * Any chart as a PNG: a recharts chart is an SVG styled partly by the stylesheet, so the SVG is
 * cloned with each element's computed paint inlined (an SVG drawn as an image sees no page CSS),
 * drawn onto a canvas at 2× and, below it, the chart's legend (which is HTML, not SVG). A canvas
 * chart (the galleries) is copied as it is.
 */

export interface LegendEntry {
  name: string;
  color: string;
  /** SVG dash array of the entry's line, when it is not solid. */
  dash?: string;
}

/** The presentation properties an SVG needs to look as it does on the page. */
const PAINT = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'visibility',
] as const;

function inlinedSvg(svg: SVGSVGElement): { markup: string; width: number; height: number } {
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = copies[i] as SVGElement;
    for (const property of PAINT) target.style.setProperty(property, style.getPropertyValue(property));
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  return { markup: new XMLSerializer().serializeToString(clone), width, height };
}

async function svgImage(markup: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

const LEGEND_ROW = 20;
const LEGEND_PAD = 12;

/** Lays the entries out left to right, wrapping; returns the rows' height. */
function drawLegend(ctx: CanvasRenderingContext2D, entries: readonly LegendEntry[], top: number, width: number, textColor: string): number {
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  let x = LEGEND_PAD;
  let y = top + LEGEND_ROW / 2;
  for (const entry of entries) {
    const w = 26 + ctx.measureText(entry.name).width + 18;
    if (x + w > width - LEGEND_PAD && x > LEGEND_PAD) {
      x = LEGEND_PAD;
      y += LEGEND_ROW;
    }
    ctx.strokeStyle = entry.color;
    ctx.lineWidth = 2.5;
    ctx.setLineDash(entry.dash ? entry.dash.split(/[\s,]+/).map(Number) : []);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 20, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = textColor;
    ctx.fillText(entry.name, x + 26, y);
    x += w;
  }
  return entries.length ? y - top + LEGEND_ROW / 2 + LEGEND_PAD / 2 : 0;
}

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the chart could not be encoded as PNG'))), 'image/png'));
}

/** The chart inside `root` (its first recharts SVG, else its first canvas) as a PNG. */
export async function chartToPng(root: HTMLElement, legend: readonly LegendEntry[] = [], scale = 2): Promise<Blob> {
  const page = getComputedStyle(document.documentElement);
  const background = page.getPropertyValue('--surface').trim() || '#ffffff';
  const textColor = page.getPropertyValue('--text').trim() || '#000000';
  const svg = root.querySelector<SVGSVGElement>('svg.recharts-surface');
  const source = svg ? null : root.querySelector('canvas');
  if (!svg && !source) throw new Error('nothing to export: the chart has not been drawn');

  const { width, height } = svg ? svg.getBoundingClientRect() : source!.getBoundingClientRect();
  // Measured on a scratch canvas first: the legend's height depends on how its entries wrap.
  const measure = document.createElement('canvas').getContext('2d')!;
  const legendHeight = drawLegend(measure, legend, 0, width, textColor);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round((height + legendHeight) * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height + legendHeight);
  if (svg) {
    const { markup } = inlinedSvg(svg);
    ctx.drawImage(await svgImage(markup), 0, 0, width, height);
  } else ctx.drawImage(source!, 0, 0, width, height);
  drawLegend(ctx, legend, height, width, textColor);
  return canvasBlob(canvas);
}
