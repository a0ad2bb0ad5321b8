// A badge drawn from the layout main computed (shared/badge.ts), in points, exactly: every text
// line is stretched to the width main measured with the font the PDF embeds (textLength), so
// what staff see here is what prints. The font is "Badge Sans" (DejaVu Sans, served by the app;
// see printing.css). Attendee text is React text, never markup.
import { memo } from 'react';
import type { BadgeLayout, QrItem, TextItem, VipItem } from '../../../shared/badge.ts';

export const BADGE_FONT = "'Badge Sans', 'DejaVu Sans', sans-serif";

export const BadgeSvg = memo(function BadgeSvg({
  layout,
  name,
  className,
}: {
  layout: BadgeLayout;
  name: string;
  className?: string;
}) {
  const { widthPt: W, heightPt: H } = layout;
  return (
    <svg
      className={`badge-svg${className ? ` ${className}` : ''}`}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Badge preview for ${name}`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect
        x={0.25}
        y={0.25}
        width={W - 0.5}
        height={H - 0.5}
        rx={Math.min(W, H) * 0.02}
        fill="#fff"
        stroke="#b8bec8"
        strokeWidth={0.5}
      />
      {layout.items.map((item, i) =>
        item.kind === 'text' ? (
          <BadgeText key={i} item={item} />
        ) : item.kind === 'qr' ? (
          <BadgeQr key={i} item={item} />
        ) : (
          <BadgeVip key={i} item={item} />
        ),
      )}
    </svg>
  );
});

function BadgeText({ item }: { item: TextItem }) {
  return (
    <g data-field={item.field}>
      {item.lines.map((line, i) => {
        const width = item.lineWidths[i];
        const x = item.align === 'center' && width !== undefined ? item.x + (item.width - width) / 2 : item.x;
        return (
          <text
            key={i}
            x={x}
            y={item.y + i * item.lineHeight}
            fontFamily={BADGE_FONT}
            fontSize={item.fontSize}
            fontWeight={item.bold ? 700 : 400}
            fill="#111"
            // Only a line with a width to keep: an empty measurement would squash it to nothing.
            textLength={width !== undefined && width > 0 ? width : undefined}
            lengthAdjust={width !== undefined && width > 0 ? 'spacingAndGlyphs' : undefined}
          >
            {line}
          </text>
        );
      })}
    </g>
  );
}

/** The QR code's dark modules as one path: a run of dark modules in a row is one rectangle. */
function qrPath(matrix: string[]): string {
  let d = '';
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (row[x] !== '1') {
        x++;
        continue;
      }
      let end = x;
      while (end < row.length && row[end] === '1') end++;
      d += `M${x} ${y}h${end - x}v1h${x - end}z`;
      x = end;
    }
  });
  return d;
}

function BadgeQr({ item }: { item: QrItem }) {
  const matrix = item.matrix;
  if (!matrix || matrix.length === 0) {
    // No modules in the answer: a placeholder the size of the code, so the layout still reads.
    return (
      <rect
        x={item.x}
        y={item.y}
        width={item.size}
        height={item.size}
        fill="#eef0f3"
        stroke="#9aa3af"
        strokeWidth={0.5}
        strokeDasharray="2 2"
      />
    );
  }
  const n = Math.max(matrix.length, ...matrix.map((r) => r.length));
  return (
    <path
      data-field="qr"
      transform={`translate(${item.x} ${item.y}) scale(${item.size / n})`}
      d={qrPath(matrix)}
      fill="#000"
      shapeRendering="crispEdges"
    />
  );
}

/** A five-pointed star centred at (cx, cy). */
function starPoints(cx: number, cy: number, outer: number): string {
  const inner = outer * 0.45;
  const points: string[] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    points.push(`${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}`);
  }
  return points.join(' ');
}

function BadgeVip({ item }: { item: VipItem }) {
  const { x, y, width: w, height: h } = item;
  const star = h * 0.3;
  // "VIP" in DejaVu Sans Bold is about 1.9 em wide: as large as fits beside the star.
  const fontSize = Math.min(h * 0.55, (w - h * 1.1) / 1.9);
  return (
    <g data-field="vipMark">
      <rect x={x} y={y} width={w} height={h} rx={h * 0.25} fill="#d4a017" />
      <polygon points={starPoints(x + h * 0.5, y + h / 2, star)} fill="#fff" />
      <text
        x={x + h * 0.95}
        y={y + h / 2 + fontSize * 0.36}
        fontFamily={BADGE_FONT}
        fontSize={fontSize}
        fontWeight={700}
        fill="#fff"
      >
        VIP
      </text>
    </g>
  );
}
