/**
 * Concurrency settings: reserved concurrency per function (which the account's unreserved
 * pool must leave at least 100 of), the account settings, and provisioned concurrency on a
 * version or alias: environments initialized ahead, the config READY once they all are.
 */
import type { ServiceContext } from '../types.js';
import { lastModified } from './config.js';
import { AwsError } from '../../core/errors.js';
import { invalidParameter, validation } from './errors.js';
import { page } from './functions.js';
import { hostOf, runtimeOf } from './pool.js';
import { resolve, resolveFunction } from './resolve.js';
import { accountLimit, functionArn, lambdaState, minUnreserved, totalReserved, type FunctionRecord, type ProvisionedConfig } from './store.js';

type In = Record<string, unknown>;

export function putFunctionConcurrency(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const n = input['ReservedConcurrentExecutions'] as number | undefined;
  if (n === undefined || !Number.isInteger(n) || n < 0) {
    throw validation(String(n), 'reservedConcurrentExecutions', 'Member must have value greater than or equal to 0');
  }
  const limit = accountLimit(state);
  if (limit - totalReserved(state, fn.name) - n < minUnreserved(limit)) {
    throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minUnreserved(limit)}].`);
  }
  const provisioned = Object.values(fn.provisioned).reduce((s, p) => s + p.requested, 0);
  if (n < provisioned) throw invalidParameter(`ReservedConcurrentExecutions  ${n} should not be lower than function's total provisioned concurrency [${provisioned}].`);
  fn.reserved = n;
  state.functions.set(fn.name, fn);
  runtimeOf(state, hostOf(ctx.stores)).reservationsChanged();
  return { ReservedConcurrentExecutions: n };
}

export function getFunctionConcurrency(input: In, ctx: ServiceContext): In {
  const { fn } = resolveFunction(ctx, input);
  return fn.reserved === undefined ? {} : { ReservedConcurrentExecutions: fn.reserved };
}

export function deleteFunctionConcurrency(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  delete fn.reserved;
  state.functions.set(fn.name, fn);
  runtimeOf(state, hostOf(ctx.stores)).reservationsChanged();
  return {};
}

export function getAccountSettings(_input: In, ctx: ServiceContext): In {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const limit = accountLimit(state);
  let code = 0;
  for (const bytes of state.code.values()) code += bytes.length;
  return {
    AccountLimit: {
      TotalCodeSize: 80_530_636_800, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: limit, UnreservedConcurrentExecutions: limit - totalReserved(state),
    },
    AccountUsage: { TotalCodeSize: code, FunctionCount: state.functions.size },
  };
}

function show(p: ProvisionedConfig): In {
  const ready = p.status === 'READY';
  const out: In = {
    RequestedProvisionedConcurrentExecutions: p.requested, AllocatedProvisionedConcurrentExecutions: ready ? p.requested : 0,
    AvailableProvisionedConcurrentExecutions: ready ? p.requested : 0, Status: p.status, LastModified: lastModified(p.lastModifiedMs),
  };
  if (p.statusReason) out['StatusReason'] = p.statusReason;
  return out;
}

function qualified(ctx: ServiceContext, input: In) {
  const r = resolve(ctx, input);
  const q = r.ref.qualifier;
  if (q === undefined || q === '$LATEST') throw invalidParameter('The function resource provided must be an alias or a published version.');
  return { ...r, q };
}

export function putProvisionedConcurrencyConfig(input: In, ctx: ServiceContext): In {
  const r = qualified(ctx, input);
  const n = input['ProvisionedConcurrentExecutions'] as number | undefined;
  if (n === undefined || !Number.isInteger(n) || n < 1) throw validation(String(n), 'provisionedConcurrentExecutions', 'Member must have value greater than or equal to 1');
  if (r.fn.reserved !== undefined && n > r.fn.reserved) {
    throw invalidParameter('Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function');
  }
  const conf: ProvisionedConfig = { requested: n, status: 'IN_PROGRESS', lastModifiedMs: ctx.clock.nowMs() };
  r.fn.provisioned[r.q] = conf;
  r.state.functions.set(r.fn.name, r.fn);
  const host = hostOf(ctx.stores);
  const settle = (status: ProvisionedConfig['status'], reason?: string): void => {
    const fn = lambdaState(ctx.stores, r.state.account, r.state.region).functions.get(r.fn.name);
    const current = fn?.provisioned[r.q];
    if (!fn || current === undefined || current.lastModifiedMs !== conf.lastModifiedMs || current.requested !== n) return;
    fn.provisioned[r.q] = { ...current, status, lastModifiedMs: host.clock.nowMs(), ...(reason ? { statusReason: reason } : {}) };
    r.state.functions.set(fn.name, fn);
  };
  runtimeOf(r.state, host).provision(r.state, r.fn.name, r.cfg, n)
    .then(() => settle('READY'), (e: unknown) => settle('FAILED', e instanceof Error ? e.message : String(e)));
  return show(conf);
}

function configOf(ctx: ServiceContext, input: In): { fn: FunctionRecord; q: string; conf: ProvisionedConfig } {
  const r = qualified(ctx, input);
  const conf = r.fn.provisioned[r.q];
  if (!conf) throw new AwsError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', 404, { fields: { Type: 'User' } });
  return { fn: r.fn, q: r.q, conf };
}

export function getProvisionedConcurrencyConfig(input: In, ctx: ServiceContext): In {
  return show(configOf(ctx, input).conf);
}

export function deleteProvisionedConcurrencyConfig(input: In, ctx: ServiceContext): In {
  const r = qualified(ctx, input);
  delete r.fn.provisioned[r.q];
  r.state.functions.set(r.fn.name, r.fn);
  void runtimeOf(r.state, hostOf(ctx.stores)).provision(r.state, r.fn.name, r.cfg, 0);
  return {};
}

export function listProvisionedConcurrencyConfigs(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const rows = Object.entries(fn.provisioned).map(([q, p]) => ({ FunctionArn: functionArn(state.account, state.region, fn.name, q), ...show(p) }));
  return page(rows, input, 'ProvisionedConcurrencyConfigs');
}
