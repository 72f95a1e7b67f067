import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { AwsError } from '../../../src/core/errors.js';
import type { ServiceModel } from '../../../src/protocols/model.js';
import { shapeOf } from '../../../src/protocols/model.js';
import { protocolFor, protocolNamed } from '../../../src/protocols/protocols.js';
import { generatorFor, type Generator } from './arbitraries.js';
import { assertSame, dropSenderFilled, expectedAfterWire, normalize } from './compare.js';
import { sdkHarness, toWire, type SdkHarness } from './sdk.js';

/**
 * One service's round trips: requests (real client serializes, Drydock parses), responses
 * (Drydock serializes, real client parses) and modeled errors, each a fast-check property.
 */

export interface Failure { service: string; operation: string; direction: 'request' | 'response' | 'error'; message: string; counterexample: string }

export interface RunOptions {
  numRuns: number;
  seed: number;
  /** Members the generator leaves out, as `Shape.member` or `*.member`. */
  exclusions: ReadonlySet<string>;
  /** Members the sender (client, or Drydock in responses) fills in itself, as `Shape.member`. */
  senderFilled: ReadonlySet<string>;
}

export class ServiceRun {
  readonly model: ServiceModel;
  readonly #gen: Generator;
  readonly #sdk: SdkHarness;
  readonly #opts: RunOptions;

  constructor(model: ServiceModel, opts: RunOptions) {
    this.model = model;
    this.#opts = opts;
    this.#gen = generatorFor(model, opts.exclusions);
    this.#sdk = sdkHarness(model);
  }

  /** Generated inputs survive client-serialize → Drydock parse. */
  async request(operation: string): Promise<Failure | undefined> {
    const model = this.model;
    const op = model.operations[operation]!;
    return this.#check('request', operation, this.#gen.input(operation), async (input) => {
      const captured = await this.#sdk.capture(operation, structuredClone(input));
      const { service, wire } = await toWire(captured);
      assert.equal(service, model.service, `routed to ${service}`);
      const protocol = protocolFor(model, wire);
      const match = protocol.match(model, wire);
      assert.equal(match?.name, operation, `${wire.method} ${wire.path} matched ${match?.name}`);
      const parsed = protocol.parse(model, match!, wire);
      // Both sides in the form the wire carries (an empty payload structure is no payload).
      const received = dropSenderFilled(model, op.input, input, parsed, this.#opts.senderFilled);
      const actual = await normalize(expectedAfterWire(model, op.input, received, 'request'));
      assertSame(actual ?? {}, (await normalize(expectedAfterWire(model, op.input, input, 'request'))) ?? {});
    });
  }

  /** Generated outputs survive Drydock serialize → client parse. */
  async response(operation: string): Promise<Failure | undefined> {
    const model = this.model;
    const input = this.#sampleInput(operation);
    const op = model.operations[operation]!;
    const method = op.traits?.http?.[0] ?? 'POST';
    return this.#check('response', operation, this.#gen.output(operation), async (output) => {
      const wire = protocolNamed(model.protocol).serialize(model, operation, structuredClone(output), { requestId: 'req-1', method });
      const got = await this.#sdk.respond(operation, structuredClone(input), wire);
      const received = dropSenderFilled(model, op.output, output, got, this.#opts.senderFilled);
      const actual = await normalize(expectedAfterWire(model, op.output, received, 'response'));
      assertSame(actual ?? {}, (await normalize(expectedAfterWire(model, op.output, output, 'response'))) ?? {});
    });
  }

  /** A modeled error (or, for models without any, an unmodeled one) reaches the client by name, message and fields. */
  async error(code: string): Promise<Failure | undefined> {
    const model = this.model;
    const operation = this.#errorCarrier();
    const input = this.#sampleInput(operation);
    const method = model.operations[operation]!.traits?.http?.[0] ?? 'POST';
    const shape = model.shapes[code];
    const fields = shape?.error ? this.#gen.errorFields(code) : fc.constant({});
    return this.#check('error', code, fields, async (values) => {
      const status = shape?.traits?.httpError ?? 400;
      const err = new AwsError(code, `the ${code} message`, status, { fields: structuredClone(values) });
      const wire = protocolNamed(model.protocol).serializeError(model, err, { requestId: 'req-1', method });
      let thrown: (Error & Record<string, unknown>) | undefined;
      try {
        await this.#sdk.respond(operation, structuredClone(input), wire);
      } catch (e) {
        thrown = e as Error & Record<string, unknown>;
      }
      assert.ok(thrown, 'the client did not throw');
      assert.equal(thrown.name, code);
      assert.equal(thrown.message, `the ${code} message`);
      const got: Record<string, unknown> = {};
      for (const k of Object.keys(values)) got[k] = thrown[k];
      if (shape?.error) assertSame(await normalize(got), await normalize(expectedAfterWire(model, code, values, 'response')));
    });
  }

  /** An operation to carry error responses: any that is not HEAD (HEAD errors have no body). */
  #errorCarrier(): string {
    const ops = Object.entries(this.model.operations);
    const plain = ops.find(([, o]) => (o.traits?.http?.[0] ?? 'POST') !== 'HEAD'
      && !Object.values(shapeOf(this.model, o.output).members ?? {}).some((m) => shapeOf(this.model, m.target).traits?.streaming));
    return (plain ?? ops[0]!)[0];
  }

  #sampleInput(operation: string): Record<string, unknown> {
    return fc.sample(this.#gen.input(operation), { numRuns: 1, seed: this.#opts.seed })[0]!;
  }

  async #check<T>(
    direction: Failure['direction'], name: string, arb: fc.Arbitrary<T>, body: (v: T) => Promise<void>,
  ): Promise<Failure | undefined> {
    const seed = (this.#opts.seed ^ hash(`${this.model.service}.${name}.${direction}`)) | 0;
    const details = await fc.check(fc.asyncProperty(arb, body), {
      numRuns: this.#opts.numRuns, seed, interruptAfterTimeLimit: 10_000, markInterruptAsFailure: false,
    });
    if (!details.failed) return undefined;
    const e = details.errorInstance;
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 400);
    return {
      service: this.model.service, operation: name, direction, message,
      counterexample: `${fc.stringify(details.counterexample?.[0])} (seed ${seed}, path ${details.counterexamplePath})`,
    };
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
