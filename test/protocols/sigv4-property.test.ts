// Random requests signed by @smithy/signature-v4 always verify, and any single changed byte of
// their path or query never does. The generators reach the corners where canonicalization goes
// wrong: reserved and non-ASCII characters, repeated query keys, empty values, dot and empty path
// segments, header values with runs of spaces and tabs.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  isAuthProblem, parseAuthorization, payloadHashFor, verifySignature, type SignedRequest,
} from '../../src/protocols/sigv4.js';
import { NodeSha256 } from '../support/node-sha256.js';

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret/key+for=tests' };
const WHEN = new Date('2024-06-30T23:59:59Z');


const escapeUri = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const text = fc.string({ unit: fc.oneof(fc.constantFrom(...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~aZ09'), fc.constantFrom('é', '€', '✓', '😀', 'ß')), maxLength: 8 });
const segment = (dots: boolean) => fc.oneof(
  { weight: 4, arbitrary: text.map(escapeUri) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', ...(dots ? ['..'] : [])) },
);
const path = (dots: boolean) => fc.array(segment(dots), { maxLength: 5 }).map((s) => `/${s.join('/')}`);
const queryKey = text.filter((k) => k.length > 0 && !/^x-amz-/i.test(k) && k !== '__proto__');
const query = fc.dictionary(queryKey, fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })), { maxKeys: 4 });
const headerValue = fc.string({ unit: fc.oneof(fc.constantFrom(' ', '\t', ' ', 'a', 'B', '9', ',', ';', '=', '"', '/'), fc.constantFrom('é', '✓')), maxLength: 12 });
const headers = fc.dictionary(fc.stringMatching(/^x-(amz-meta|test)-[a-z0-9-]{1,8}$/), headerValue, { maxKeys: 4 });

interface Case { method: string; path: string; query: Record<string, string | string[]>; headers: Record<string, string>; body: string; s3: boolean; presign: boolean }

const cases = (dots: boolean) => fc.record({
  method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH'),
  path: path(dots), query, headers, body: text, s3: fc.boolean(), presign: fc.boolean(),
});

function queryString(q: Record<string, string | string[]>): string {
  return Object.keys(q).sort().flatMap((k) => (Array.isArray(q[k]) ? q[k] : [q[k]]).map((v) => `${escapeUri(k)}=${escapeUri(v!)}`)).join('&');
}

async function sign(c: Case): Promise<SignedRequest> {
  const signer = new SignatureV4({ service: c.s3 ? 's3' : 'execute-api', region: 'ap-south-2', credentials: CREDS, sha256: NodeSha256, uriEscapePath: !c.s3 });
  const req = { method: c.method, protocol: 'http:', hostname: 'h.local', path: c.path, query: c.query, headers: { host: 'h.local', ...c.headers }, body: c.body };
  const signed = c.presign
    ? await signer.presign(req, { signingDate: WHEN, expiresIn: 300 })
    : await signer.sign(req, { signingDate: WHEN });
  const wire: Record<string, string> = {};
  // As Node's HTTP server hands them over: latin1 strings, outer whitespace trimmed.
  for (const [k, v] of Object.entries(signed.headers)) wire[k.toLowerCase()] = Buffer.from(v, 'utf8').toString('latin1').replace(/^[ \t]+|[ \t]+$/g, '');
  return { method: signed.method, rawPath: signed.path, rawQuery: queryString(signed.query as Record<string, string | string[]>), headers: wire };
}

function verifies(req: SignedRequest, c: Case): boolean {
  const auth = parseAuthorization(req);
  if (!auth || isAuthProblem(auth)) return false;
  const hash = payloadHashFor(req, Buffer.from(c.body));
  return hash.ok && verifySignature(req, auth, CREDS.secretAccessKey, hash.payloadHash, WHEN, { s3: c.s3 }).ok;
}

test('every request the smithy signer signs verifies (header auth and pre-signed, S3 and not)', async () => {
  await fc.assert(fc.asyncProperty(cases(true), async (c) => {
    const req = await sign(c);
    assert.ok(verifies(req, c), JSON.stringify({ c, req }));
  }), { numRuns: 400 });
});

test('a single changed byte of the path or the query never verifies', async () => {
  const withIndex = cases(false).chain((c) => fc.record({ c: fc.constant(c), where: fc.boolean(), at: fc.nat() }));
  await fc.assert(fc.asyncProperty(withIndex, async ({ c, where, at }) => {
    const req = await sign(c);
    const target = where || !req.rawQuery ? 'rawPath' : 'rawQuery';
    const s = req[target];
    const i = at % s.length;
    const changed = { ...req, [target]: s.slice(0, i) + (s[i] === 'z' ? 'y' : 'z') + s.slice(i + 1) };
    assert.equal(verifies(changed, c), false, JSON.stringify(changed));
  }), { numRuns: 400 });
});
