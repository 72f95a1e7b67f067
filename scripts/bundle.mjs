#!/usr/bin/env node
// Bundles the CLI and server into dist/bundle (one file per lazily loaded service): Node
// resolves and compiles one module graph of a few files instead of ~100 small ones, which
// more than halves start-up. Packages stay external (models are read from models/).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: start clean so old chunks do not pile up.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  outdir: 'dist/bundle',
  packages: 'external',
  logLevel: 'warning',
});
