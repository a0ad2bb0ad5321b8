// A status shown as a small colour-coded pill ("Connected", "Online", "Printed"). Named for what
// it is on screen: the badges this app prints are something else (printing/BadgeSvg.tsx).
// The CSS classes keep their historical names (badge, badge-<tone>).

export type PillTone = 'green' | 'blue' | 'red' | 'amber' | 'grey';

export function StatusPill({
  label,
  tone,
  className,
}: {
  label: string;
  tone: PillTone;
  className?: string;
}) {
  return <span className={`badge badge-${tone}${className ? ` ${className}` : ''}`}>{label}</span>;
}
