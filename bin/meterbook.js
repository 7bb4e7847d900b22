#!/usr/bin/env node
// `npx meterbook …` runs straight from the TypeScript sources (no build step): tsx's loader compiles on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
await main(process.argv.slice(2));
