// Every bill format Meterbook reads, and the detection that picks one for a table. FOCUS files are recognised by
// their header before any vendor format is asked (see parse-file.ts); vendor formats are tried in this order and the
// highest score of at least 0.5 wins.
import { anthropicCosts, anthropicUsage } from './anthropic';
import { awsCur2, awsCurLegacy } from './aws-cur';
import { azureEa, azureMca, azurePayg } from './azure-cost';
import { gcpBilling } from './gcp-billing';
import { copilotPremiumAnalytics, copilotUsage } from './github-copilot';
import { ociCost } from './oci-cost';
import { openaiCosts, openaiUsage } from './openai';
import { saasSeats } from './saas-seats';
import type { BillFormat, TableSample } from './types';

export const BILL_FORMATS: readonly BillFormat[] = [
  awsCurLegacy,
  awsCur2,
  azureEa,
  azureMca,
  azurePayg,
  gcpBilling,
  ociCost,
  openaiUsage,
  openaiCosts,
  anthropicUsage,
  anthropicCosts,
  copilotUsage,
  copilotPremiumAnalytics,
  saasSeats,
];

export interface Detection {
  format: BillFormat;
  score: number;
}

/** The best-scoring format for the table, or null when none reaches 0.5. */
export function detectFormat(sample: TableSample, formats: readonly BillFormat[] = BILL_FORMATS): Detection | null {
  let best: Detection | null = null;
  for (const format of formats) {
    let score = 0;
    try {
      score = format.detect(sample);
    } catch {
      score = 0; // a detector that trips over an odd table simply does not claim it
    }
    if (score >= 0.5 && (best === null || score > best.score)) best = { format, score };
  }
  return best;
}

export function formatById(id: string): BillFormat | undefined {
  return BILL_FORMATS.find((f) => f.id === id);
}
