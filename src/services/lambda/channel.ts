/**
 * The pipe Drydock's own bootstraps (nodejs*, python3*) use instead of HTTP to reach the
 * Runtime API of their environment: one framed message per event and one per answer, on a
 * socket pair given to the process as fd 3. It carries what the HTTP Runtime API carries (the
 * same `lambda-runtime-*` headers, the same bodies), but an invocation costs two writes instead
 * of four HTTP messages (poll answer, result post, its 202, the next poll) and no HTTP parsing
 * on either side. Other bootstraps (provided.*, any runtime interface client) use HTTP.
 *
 * A frame: header length and body length (two 32-bit big-endian integers), the header as JSON,
 * the body as raw bytes. Drydock sends the event's headers with its payload; the bootstrap
 * sends `{t:'next'}` when it waits for an event, `{t:'response'|'error', id, type?, mem}` with
 * the result and `{t:'init-error', type}` when its handler cannot load.
 */

/** The file descriptor of the channel in the bootstrap's process. */
export const CHANNEL_FD = 3;

export interface ChannelMessage {
  t: 'next' | 'response' | 'error' | 'init-error';
  /** The request id a result answers. */
  id?: string;
  /** The error type (Lambda-Runtime-Function-Error-Type). */
  type?: string;
  /** The process's resident memory in MB when it answered. */
  mem?: number;
}

export function encodeFrame(header: unknown, body?: Buffer): Buffer {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const blen = body?.length ?? 0;
  const out = Buffer.allocUnsafe(8 + head.length + blen);
  out.writeUInt32BE(head.length, 0);
  out.writeUInt32BE(blen, 4);
  head.copy(out, 8);
  if (body !== undefined) body.copy(out, 8 + head.length);
  return out;
}

/**
 * Splits a byte stream into frames; `onFrame` gets each header (parsed) and body. Chunks of a
 * large frame are kept in a list and joined once it is whole (a 6 MB response arrives in
 * about a hundred reads: joining at each read would copy it a hundred times).
 */
export class FrameReader {
  #chunks: Buffer[] = [];
  #length = 0;
  /** Bytes the frame being read needs in all (0: its lengths are not in yet). */
  #need = 0;
  #onFrame: (header: ChannelMessage, body: Buffer) => void;

  constructor(onFrame: (header: ChannelMessage, body: Buffer) => void) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    while (this.#length >= 8) {
      if (this.#need === 0) {
        const head = this.#chunks[0]!.length >= 8 ? this.#chunks[0]! : this.#join();
        this.#need = 8 + head.readUInt32BE(0) + head.readUInt32BE(4);
      }
      if (this.#length < this.#need) return;
      const buf = this.#join();
      const hlen = buf.readUInt32BE(0);
      const end = this.#need;
      const header = JSON.parse(buf.toString('utf8', 8, 8 + hlen)) as ChannelMessage;
      // A copy: the body outlives the read buffer (it becomes the Invoke response).
      const body = Buffer.from(buf.subarray(8 + hlen, end));
      const rest = buf.subarray(end);
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#length = rest.length;
      this.#need = 0;
      this.#onFrame(header, body);
    }
  }

  #join(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#length)];
    return this.#chunks[0]!;
  }
}
