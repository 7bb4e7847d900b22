// The allocation part of the API contract: rule sets, the live preview, apply, versions, drivers and showback.
// Money is in currency units (numbers), computed from exact integer nanos; currencies are never summed together.
import { z } from 'zod';
import { RuleSetSchema } from '../allocate/ruleset';

const Metric = z.enum(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']);
const Month = z.string().regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM');

export const RuleProblemSchema = z.object({ ruleId: z.string(), message: z.string() });

export const AllocationCheckSchema = z.object({
  currency: z.string(),
  /** the spend in scope, before allocation */
  original: z.number(),
  /** what reached a target (direct + shared) */
  allocated: z.number(),
  unallocated: z.number(),
  /** original − allocated − unallocated, computed in nanos: 0 unless something is wrong */
  difference: z.number(),
  /** allocated / original, in % (100 when original is 0) */
  coverage: z.number(),
});
export type AllocationCheck = z.infer<typeof AllocationCheckSchema>;

export const TargetPreviewSchema = z.object({
  target: z.string(),
  currency: z.string(),
  direct: z.number(),
  shared: z.number(),
  total: z.number(),
  /** the applied version's total for this target over the same months; null when nothing is applied */
  before: z.number().nullable(),
});
export type TargetPreview = z.infer<typeof TargetPreviewSchema>;

export const UnallocatedPreviewSchema = z.object({
  currency: z.string(),
  reason: z.enum(['no-rule', 'pool-zero-weights', 'pool-no-targets', 'pool-invalid']),
  poolId: z.string().nullable(),
  /** what to fix ("pool gw: the percentages add up to 90%, not 100%") */
  detail: z.string().nullable(),
  amount: z.number(),
  /** months it happens in */
  months: z.array(z.string()),
});

export const RuleStatSchema = z.object({
  id: z.string(),
  kind: z.enum(['rule', 'pool', 'inherit']),
  /** rows it took */
  rows: z.number().int(),
  /** rows it matches whatever comes before it */
  matches: z.number().int(),
  /** earlier rules or pools that took rows it matches (first match wins) */
  shadowedBy: z.array(z.object({ id: z.string(), rows: z.number().int() })),
  status: z.enum(['takes', 'partly-shadowed', 'shadowed', 'no-rows']),
  amounts: z.array(z.object({ currency: z.string(), amount: z.number() })),
});
export type RuleStatView = z.infer<typeof RuleStatSchema>;

export const DimensionPreviewSchema = z.object({
  dimension: z.string(),
  label: z.string(),
  targets: z.array(TargetPreviewSchema),
  unallocated: z.array(UnallocatedPreviewSchema),
  checks: z.array(AllocationCheckSchema),
  rules: z.array(RuleStatSchema),
  rowsUnmatched: z.number().int(),
});
export type DimensionPreview = z.infer<typeof DimensionPreviewSchema>;

export const AllocationPreviewInputSchema = z.object({
  ruleSet: RuleSetSchema,
  metric: Metric.default('BilledCost'),
  fromMonth: Month.optional(),
  toMonth: Month.optional(),
});

export const AllocationPreviewSchema = z.object({
  metric: Metric,
  /** when not empty, nothing was computed: fix these first */
  problems: z.array(RuleProblemSchema),
  months: z.array(z.string()),
  rows: z.number().int(),
  /** spend groups the rules were run over, and what grouped them ('cube_month' or 'rows') */
  groups: z.number().int(),
  source: z.string(),
  ms: z.number(),
  appliedVersion: z.number().int().nullable(),
  dimensions: z.array(DimensionPreviewSchema),
});
export type AllocationPreview = z.infer<typeof AllocationPreviewSchema>;

export const AllocationVersionSchema = z.object({
  id: z.number().int(),
  created: z.string(),
  note: z.string().nullable(),
  rules: z.number().int(),
  pools: z.number().int(),
  rows: z.number().int(),
  seconds: z.number(),
  checks: z.array(AllocationCheckSchema.extend({ dimension: z.string() })),
  applied: z.boolean(),
});
export type AllocationVersion = z.infer<typeof AllocationVersionSchema>;

export const DriverSummarySchema = z.object({
  driver: z.string(),
  file: z.string(),
  importedAt: z.string(),
  rows: z.number().int(),
  periods: z.array(z.string()),
  targets: z.number().int(),
});
export type DriverSummary = z.infer<typeof DriverSummarySchema>;

export const AllocationStateSchema = z.object({
  draft: RuleSetSchema,
  /** the draft was saved and differs from the applied version */
  dirty: z.boolean(),
  appliedVersion: z.number().int().nullable(),
  versions: z.array(AllocationVersionSchema),
  drivers: z.array(DriverSummarySchema),
});
export type AllocationState = z.infer<typeof AllocationStateSchema>;

export const AllocationApplyOutputSchema = z.object({
  version: z.number().int(),
  rows: z.number().int(),
  seconds: z.number(),
  rowsPerSec: z.number(),
  source: z.string(),
  checks: z.array(AllocationCheckSchema.extend({ dimension: z.string() })),
});

export const ShowbackInputSchema = z.object({
  dimension: z.string().min(1),
  metric: Metric.default('BilledCost'),
  fromMonth: Month.optional(),
  toMonth: Month.optional(),
});

export const ShowbackRowSchema = z.object({
  /** null: the unallocated remainder */
  target: z.string().nullable(),
  month: z.string(),
  currency: z.string(),
  direct: z.number(),
  shared: z.number(),
  total: z.number(),
});
export const ShowbackSchema = z.object({
  dimension: z.string(),
  label: z.string(),
  metric: Metric,
  version: z.number().int().nullable(),
  appliedAt: z.string().nullable(),
  months: z.array(z.string()),
  rows: z.array(ShowbackRowSchema),
  checks: z.array(AllocationCheckSchema),
});
export type Showback = z.infer<typeof ShowbackSchema>;

export const AllocationProgressSchema = z.object({
  phase: z.enum(['grouping', 'allocating', 'writing', 'done']),
  rows: z.number().int(),
  totalRows: z.number().int(),
});
export type AllocationProgress = z.infer<typeof AllocationProgressSchema>;

export const RuleSetChangeSchema = z.object({
  kind: z.enum(['dimension', 'rule', 'pool', 'inherit', 'alias', 'normalize']),
  id: z.string(),
  change: z.enum(['added', 'removed', 'changed', 'moved']),
  detail: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export { RuleSetSchema, Month as AllocationMonthSchema };
