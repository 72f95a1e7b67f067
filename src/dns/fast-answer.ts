/**
 * The hot path's encoder: a NOERROR reply whose answers are A/AAAA records owned by the
 * question's own name, written straight into a buffer with each owner name compressed to a
 * pointer at the question (RFC 1035 §4.1.4), as real servers do. Anything else (CNAME chains,
 * negative answers, explanations, client-subnet echoes) goes through dns-packet.
 */
import { isIPv4 } from 'node:net';
import type { AnswerRecord } from '../engines/dns/index.js';

/** End of the (single, uncompressed) question in a query, or -1 when it is not that simple. */
export function questionEnd(msg: Buffer): number {
  if (msg.length < 17 || msg.readUInt16BE(4) !== 1) return -1;
  let i = 12;
  while (i < msg.length) {
    const len = msg[i]!;
    if (len === 0) return i + 5 <= msg.length ? i + 5 : -1;
    if (len >= 0xc0) return -1;
    i += len + 1;
  }
  return -1;
}

function writeV4(buf: Buffer, at: number, ip: string): void {
  let part = 0;
  let n = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) { buf[at + n++] = part; part = 0; } else part = part * 10 + (c - 48);
  }
  buf[at + n] = part;
}

/**
 * The reply bytes, or undefined when the records do not fit the fast path. `opt`: append an
 * OPT record advertising 4096-byte UDP payloads (the client sent EDNS).
 */
export function fastReply(query: Buffer, qEnd: number, flags: number, answers: AnswerRecord[], opt: boolean): Buffer | undefined {
  let size = qEnd + (opt ? 11 : 0);
  for (const a of answers) {
    if (a.type === 'A' && isIPv4(a.value)) size += 16;
    else return undefined;
  }
  const out = Buffer.allocUnsafe(size);
  query.copy(out, 0, 0, qEnd);
  out.writeUInt16BE(flags | 0x8000, 2);
  out.writeUInt16BE(answers.length, 6);
  out.writeUInt32BE(opt ? 1 : 0, 8);
  let at = qEnd;
  for (const a of answers) {
    out.writeUInt16BE(0xc00c, at);
    out.writeUInt16BE(1, at + 2);
    out.writeUInt16BE(1, at + 4);
    out.writeUInt32BE(a.ttl >>> 0, at + 6);
    out.writeUInt16BE(4, at + 10);
    writeV4(out, at + 12, a.value);
    at += 16;
  }
  if (opt) {
    out[at] = 0;
    out.writeUInt16BE(41, at + 1);
    out.writeUInt16BE(4096, at + 3);
    out.writeUInt32BE(0, at + 5);
    out.writeUInt16BE(0, at + 9);
  }
  return out;
}
