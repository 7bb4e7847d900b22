// The user's FOCUS applicability criteria per provider, kept in the user data directory (applicability.json): what a
// provider supports (availability zones, capacity reservations, …) does not change from one client to the next.
import fs from 'node:fs';
import path from 'node:path';
import { ApplicabilitySettingsSchema, type ApplicabilitySettings } from '../../src-shared/api/contract';

export class ApplicabilityStore {
  constructor(private readonly dataDir: string) {}

  private get file(): string {
    return path.join(this.dataDir, 'applicability.json');
  }

  get(): ApplicabilitySettings {
    try {
      const parsed = ApplicabilitySettingsSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  set(provider: string, criteria: Record<string, boolean | null>): ApplicabilitySettings {
    const all = this.get();
    const mine = { ...(all[provider] ?? {}) };
    for (const [k, v] of Object.entries(criteria)) {
      if (v === null) delete mine[k];
      else mine[k] = v;
    }
    if (Object.keys(mine).length === 0) delete all[provider];
    else all[provider] = mine;
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
    return all;
  }
}

/** The criteria for one provider: the "*" defaults overlaid with the provider's own. */
export function criteriaFor(settings: ApplicabilitySettings, provider: string | null): Record<string, boolean> {
  return { ...(settings['*'] ?? {}), ...(provider ? (settings[provider] ?? {}) : {}) };
}
