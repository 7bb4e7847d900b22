// The FOCUS Requirements Model (finopsfoundation/focus_validator, rules/model-1.2.json, MIT) and the ISO 4217
// currency list, loaded once per process from resources/focus/, plus the few errata Meterbook applies on top.
import fs from 'node:fs';

/** A node of a Requirement or Condition tree. The model spells arguments per CheckFunction (see CheckFunctions). */
export interface CheckNode {
  CheckFunction?: string;
  Items?: CheckNode[];
  ColumnName?: string;
  /** Typo in two Conditions of the 1.2 model (ResourceId-C-006-C, ResourceType-C-005-C): read as ColumnName. */
  CheckCondition?: string;
  ColumnAName?: string;
  ColumnBName?: string;
  ResultColumnName?: string;
  Value?: string | number | boolean | null;
  ExpectedCount?: number;
  ModelRuleId?: string;
  ExpectedType?: string;
  /** Two Conditions of the 1.2 model (CapacityReservationStatus-C-003-C/-004-C) are {"AND": item | [items]}. */
  AND?: CheckNode | CheckNode[];
  OR?: CheckNode | CheckNode[];
}

export interface ModelRule {
  Function: string;
  Reference: string;
  EntityType: 'Dataset' | 'Attribute' | 'Column' | string;
  Notes?: string;
  ModelVersionIntroduced?: string;
  Status?: string;
  ApplicabilityCriteria: string[];
  Type: 'Static' | 'Dynamic' | string;
  ValidationCriteria: {
    MustSatisfy: string;
    Keyword: string;
    Requirement: CheckNode;
    Condition: CheckNode;
    Dependencies: string[];
  };
}

export interface RequirementsModel {
  Details: { ModelVersion: string; FOCUSVersion: string };
  ApplicabilityCriteria: Record<string, { Description: string }>;
  CheckFunctions: Record<string, { Description: string; Arguments: string[]; FormatAttributes: string[] }>;
  ModelDatasets: Record<string, { ModelRules: string[] }>;
  ModelRules: Record<string, ModelRule>;
}

/**
 * Errata: rules of model-1.2.json (commit 240cea2) whose Requirement or Condition contradicts the rule's own
 * MustSatisfy text, and which would therefore report wrong failures on conforming files. Each entry replaces the
 * tree with what the text says. The resource file itself stays a verbatim copy.
 */
export const MODEL_ERRATA: Readonly<Record<string, { why: string; Requirement?: CheckNode; Condition?: CheckNode }>> = {
  'CommitmentDiscountStatus-C-003-C': {
    why: 'text: "MUST be null when CommitmentDiscountId is null"; model checks not-null',
    Requirement: { CheckFunction: 'CheckValue', ColumnName: 'CommitmentDiscountStatus', Value: null },
  },
  'CommitmentDiscountStatus-C-004-C': {
    why: 'text: "MUST NOT be null when CommitmentDiscountId is not null and ChargeCategory is Usage"; model conditions on CommitmentDiscountId null',
    Condition: {
      CheckFunction: 'AND',
      Items: [
        { CheckFunction: 'CheckNotValue', ColumnName: 'CommitmentDiscountId', Value: null },
        { CheckFunction: 'CheckValue', ColumnName: 'ChargeCategory', Value: 'Usage' },
      ],
    },
  },
  'CommitmentDiscountStatus-C-005-M': {
    why: 'allowed values of CommitmentDiscountStatus are Used and Unused; model lists Active, Expired, Pending',
    Requirement: {
      CheckFunction: 'OR',
      Items: [
        { CheckFunction: 'CheckValue', ColumnName: 'CommitmentDiscountStatus', Value: 'Used' },
        { CheckFunction: 'CheckValue', ColumnName: 'CommitmentDiscountStatus', Value: 'Unused' },
      ],
    },
  },
  'ConsumedQuantity-C-006-C': {
    why: 'text: "MUST NOT be null when ChargeClass is not Correction"; model conditions on ChargeClass = Correction',
    Condition: { CheckFunction: 'CheckNotValue', ColumnName: 'ChargeClass', Value: 'Correction' },
  },
  'PricingCurrencyEffectiveCost-C-004-M': {
    why: 'text: "MUST be a valid decimal value"; model checks PricingCurrencyListUnitPrice >= 0',
    Requirement: { CheckFunction: 'CheckDecimalValue', ColumnName: 'PricingCurrencyEffectiveCost' },
  },
};

const MODEL_URL = new URL('../../resources/focus/model-1.2.json', import.meta.url);
const CURRENCY_URL = new URL('../../resources/focus/currency_codes.csv', import.meta.url);

let cachedModel: RequirementsModel | null = null;
let cachedCurrencies: ReadonlySet<string> | null = null;

/** The model with MODEL_ERRATA applied. Read once per process; callers must not mutate it. */
export function loadModel(): RequirementsModel {
  if (cachedModel) return cachedModel;
  const model = JSON.parse(fs.readFileSync(MODEL_URL, 'utf8')) as RequirementsModel;
  for (const [id, fix] of Object.entries(MODEL_ERRATA)) {
    const rule = model.ModelRules[id];
    if (!rule) continue;
    if (fix.Requirement) rule.ValidationCriteria.Requirement = fix.Requirement;
    if (fix.Condition) rule.ValidationCriteria.Condition = fix.Condition;
  }
  cachedModel = model;
  return model;
}

/** ISO 4217 codes (national currencies) from the validator's currency_codes.csv (`index,code` lines). */
export function loadCurrencyCodes(): ReadonlySet<string> {
  if (cachedCurrencies) return cachedCurrencies;
  const set = new Set<string>();
  for (const line of fs.readFileSync(CURRENCY_URL, 'utf8').split(/\r?\n/)) {
    const code = line.split(',')[1]?.trim();
    if (code && /^[A-Z]{3}$/.test(code)) set.add(code);
  }
  cachedCurrencies = set;
  return set;
}
