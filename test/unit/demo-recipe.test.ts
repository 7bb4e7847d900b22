import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRecipe, parseRecipe } from '../../src-main/demo/recipe';
import { columnsOf } from '../../src-shared/focus/catalog';

const recipeJson = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../resources/demo/recipe.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('demo recipe', () => {
  it('the shipped recipe is valid and multi-vendor', () => {
    const recipe = defaultRecipe();
    expect(recipe.months).toBeGreaterThanOrEqual(6);
    expect(recipe.cloud.map((p) => p.serviceProviderName)).toEqual(['AWS', 'Microsoft', 'Google Cloud']);
    expect(recipe.ai.map((v) => v.serviceProviderName)).toEqual(expect.arrayContaining(['OpenAI', 'Anthropic', 'AWS']));
    expect(recipe.saas.length).toBeGreaterThanOrEqual(2);
    expect(recipe.savingsPlans.length).toBeGreaterThanOrEqual(1);
    expect(recipe.credits.length).toBe(1);
  });

  it('uses only FOCUS service categories and subcategories', () => {
    const allowed = (name: string) => new Set(columnsOf('CostAndUsage').find((c) => c.name === name)?.allowedValues ?? []);
    const categories = allowed('ServiceCategory');
    const subcategories = allowed('ServiceSubcategory');
    const recipe = defaultRecipe();
    const pairs = [
      ...recipe.cloud.flatMap((p) => p.services.map((s) => [s.category, s.subcategory])),
      ...recipe.saas.map((s) => [s.category, s.subcategory]),
      ...recipe.savingsPlans.map((s) => [s.serviceCategory, s.serviceSubcategory]),
    ];
    for (const [category, subcategory] of pairs) {
      expect(categories.has(category as string), category).toBe(true);
      expect(subcategories.has(subcategory as string), subcategory).toBe(true);
    }
  });

  it('rejects a price that cannot be exact for its quantity step', () => {
    const json = recipeJson();
    const cloud = json.cloud as { workloads: { meters: { listUnitPrice: string; pricingDecimals: number }[] }[] }[];
    const meter = cloud[0]?.workloads[0]?.meters[0];
    if (!meter) throw new Error('recipe shape changed');
    meter.listUnitPrice = '0.0000166667';
    meter.pricingDecimals = 2;
    expect(() => parseRecipe(json)).toThrow(/not a whole number of nano-units/);
  });

  it('rejects unknown references and unknown keys', () => {
    const json = recipeJson();
    (json.cloud as { invoiceIssuer: string }[])[0]!.invoiceIssuer = 'Nobody Inc.';
    expect(() => parseRecipe(json)).toThrow(/unknown invoice issuer/);
    expect(() => parseRecipe({ ...recipeJson(), colour: 'blue' })).toThrow(/colour/);
  });
});
