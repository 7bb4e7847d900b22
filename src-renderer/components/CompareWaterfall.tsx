// The whole scope's change as a waterfall: period A's amount, each part of the change floating from the running total,
// then period B's amount. Bars are [low, high] ranges, so negative totals and parts draw as they are.
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { CompareLine } from '../../src-shared/api/contract';
import { direction, PARTS, signedMoney, signedMoneyCompact } from '../format/compare-parts';
import { formatMoney, formatMoneyCompact } from '../format/money';

interface Step {
  name: string;
  range: [number, number];
  amount: number;
  kind: 'total' | 'up' | 'down' | 'flat';
  hint: string;
  /** The amount above the bar: totals plain, parts with their sign. */
  label: string;
}

const FILL: Record<Step['kind'], string> = {
  total: 'var(--accent)',
  up: 'var(--danger)',
  down: 'var(--success)',
  flat: 'var(--faint)',
};

export function waterfallSteps(total: CompareLine, labelA: string, labelB: string, currency: string | null): Step[] {
  const end = (name: string, amount: number, hint: string): Step => ({
    name,
    range: [Math.min(0, amount), Math.max(0, amount)],
    amount,
    kind: 'total',
    hint,
    label: formatMoneyCompact(amount, currency),
  });
  const steps: Step[] = [end(labelA, total.a, 'Period A')];
  let run = total.a;
  for (const p of PARTS) {
    const v = total.parts[p.id];
    const next = run + v;
    steps.push({ name: p.label, range: [Math.min(run, next), Math.max(run, next)], amount: v, kind: direction(v), hint: p.hint, label: signedMoneyCompact(v, currency) });
    run = next;
  }
  steps.push(end(labelB, total.b, 'Period B'));
  return steps;
}

/**
 * Where the axis starts. Totals far above the parts would flatten every part to a sliver, so when all running totals
 * are positive and the change is small beside them, the axis starts near the lowest one (the chart says so).
 */
function axisFloor(steps: Step[]): number {
  const inner = steps.slice(1, -1).flatMap((s) => s.range);
  const ends = [steps[0]!.amount, steps[steps.length - 1]!.amount];
  const lo = Math.min(...inner, ...ends);
  const hi = Math.max(...inner, ...ends);
  if (lo <= 0 || hi - lo > hi * 0.35) return 0;
  const floor = lo - (hi - lo) * 0.6;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(floor, 1)));
  return Math.max(0, Math.floor(floor / magnitude) * magnitude);
}

export function CompareWaterfall({ total, currency, labelA, labelB, height = 280 }: { total: CompareLine; currency: string | null; labelA: string; labelB: string; height?: number }) {
  const { steps, floor } = useMemo(() => {
    const s = waterfallSteps(total, labelA, labelB, currency);
    const f = axisFloor(s);
    // the totals' bars start at the axis floor rather than at zero
    if (f > 0) for (const step of [s[0]!, s[s.length - 1]!]) step.range = [f, step.amount];
    return { steps: s, floor: f };
  }, [total, labelA, labelB, currency]);
  const byName = useMemo(() => new Map(steps.map((s) => [s.name, s])), [steps]);

  return (
    <div className="cmp-waterfall" data-testid="compare-waterfall">
      <div className="chart-canvas" style={{ height }} role="img" aria-label={`${labelA} ${formatMoney(total.a, currency)} to ${labelB} ${formatMoney(total.b, currency)}: ${steps.slice(1, -1).map((s) => `${s.name} ${signedMoney(s.amount, currency)}`).join(', ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={steps} margin={{ top: 22, right: 8, bottom: 0, left: 0 }} barCategoryGap="22%">
            <CartesianGrid vertical={false} className="chart-grid" />
            <XAxis dataKey="name" tickLine={false} axisLine={false} tickMargin={6} interval={0} />
            <YAxis
              domain={floor > 0 ? [floor, 'auto'] : ['auto', 'auto']}
              allowDataOverflow={floor > 0}
              tickFormatter={(v: number) => formatMoneyCompact(v, currency)}
              width={72}
              tickLine={false}
              axisLine={false}
              tickCount={5}
            />
            <Tooltip
              cursor={{ className: 'chart-cursor' }}
              isAnimationActive={false}
              content={(props: TooltipContentProps) => {
                const s = props.active && props.label !== undefined ? byName.get(String(props.label)) : undefined;
                if (!s) return null;
                return (
                  <div className="chart-tooltip cmp-tooltip">
                    <div className="chart-tooltip-title">
                      {s.name} <span className="num">{s.kind === 'total' ? formatMoney(s.amount, currency) : signedMoney(s.amount, currency)}</span>
                    </div>
                    <div className="cmp-tooltip-hint">{s.hint}</div>
                  </div>
                );
              }}
            />
            <Bar dataKey="range" isAnimationActive={false} maxBarSize={64} minPointSize={2}>
              {steps.map((s) => (
                <Cell key={s.name} fill={FILL[s.kind]} />
              ))}
              <LabelList dataKey="label" position="top" className="cmp-bar-label" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      {floor > 0 ? <div className="cmp-axis-note">The axis starts at {formatMoneyCompact(floor, currency)} so that the parts are visible.</div> : null}
    </div>
  );
}
