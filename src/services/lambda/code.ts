/**
 * Function and layer code: zip archives are checked when uploaded, stored by SHA-256 in the
 * state (so a data directory keeps them) and unpacked once per archive into a scratch
 * directory that execution environments use as their task root or /opt.
 *
 * The scratch root holds a `node_modules` link to Drydock's own packages, so function code
 * finds the AWS SDK for JavaScript v3 as on AWS, both with `require` and with ES `import`
 * (which ignores NODE_PATH but walks up parent directories).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { invalidParameter } from './errors.js';

const MAX_UNZIPPED = 262_144_000;

/** Drydock's package root (the folder with its package.json), from here or from a bundle. */
export const DRYDOCK_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'drydock') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
})();

/** Where the shipped bootstraps live. */
export const RUNTIMES_DIR = join(DRYDOCK_ROOT, 'src', 'runtimes');

let scratch: string | undefined;

/** The scratch root of this process, made on first use and removed at exit. */
export function scratchRoot(): string {
  if (scratch !== undefined) return scratch;
  scratch = join(tmpdir(), `drydock-lambda-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const link = join(scratch, 'node_modules');
  if (!existsSync(link)) symlinkSync(join(DRYDOCK_ROOT, 'node_modules'), link, 'dir');
  const dir = scratch;
  process.once('exit', () => { try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ } });
  return scratch;
}

export interface CheckedZip {
  bytes: Uint8Array;
  sha256Hex: string;
  /** Base64, as CodeSha256 shows it. */
  sha256: string;
  size: number;
}

/** Checks that `bytes` is a zip Lambda would take. */
export function checkZip(bytes: Uint8Array): CheckedZip {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  }
  let total = 0;
  for (const f of Object.values(files)) total += f.length;
  if (total >= MAX_UNZIPPED) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED} bytes`);
  const digest = createHash('sha256').update(bytes).digest();
  return { bytes, sha256Hex: digest.toString('hex'), sha256: digest.toString('base64'), size: bytes.length };
}

/** Unpacks an archive (once) under `<scratch>/<kind>/<sha>/<sub>` and returns that directory. */
export function unpacked(kind: 'code' | 'layer', sha256Hex: string, bytes: () => Uint8Array | undefined, sub = ''): string {
  const root = join(scratchRoot(), kind, sha256Hex);
  const dir = join(root, sub);
  if (existsSync(join(root, '.done'))) return dir;
  const zip = bytes();
  if (zip === undefined) throw new Error(`code ${sha256Hex} is missing`);
  extractInto(root, zip);
  writeFileSync(join(root, '.done'), '');
  return dir;
}

/** A per-environment folder (its /tmp). */
export function envDir(id: string): string {
  const dir = join(scratchRoot(), 'env', id);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeEnvDir(id: string): void {
  try { rmSync(join(scratchRoot(), 'env', id), { recursive: true, force: true }); } catch { /* best effort */ }
}

/** The /opt of a configuration: its layers unpacked in order into one folder (later layers win). */
export function optDir(layers: { sha256Hex: string; bytes: () => Uint8Array | undefined }[]): string {
  const key = createHash('sha256').update(layers.map((l) => l.sha256Hex).join(',')).digest('hex').slice(0, 24);
  const root = join(scratchRoot(), 'opt', key);
  if (existsSync(join(root, '.done'))) return root;
  mkdirSync(root, { recursive: true });
  for (const l of layers) {
    const zip = l.bytes();
    if (zip !== undefined) extractInto(root, zip);
  }
  writeFileSync(join(root, '.done'), '');
  return root;
}

function extractInto(root: string, zip: Uint8Array): void {
  mkdirSync(root, { recursive: true });
  for (const [name, data] of Object.entries(unzipSync(zip))) {
    const path = normalize(join(root, name));
    if (!path.startsWith(root)) continue; // zip-slip: never write outside the folder
    if (name.endsWith('/')) { mkdirSync(path, { recursive: true }); continue; }
    mkdirSync(dirname(path), { recursive: true });
    // Zip entries lose their mode in fflate; bootstraps and binaries must stay executable.
    writeFileSync(path, data, { mode: 0o755 });
  }
}
