import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Identities } from '../../../src/core/identity.js';
import { restoreSessions } from '../../../src/services/sts/credentials.js';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { FakeIam, installFakeIam } from './fake-iam.js';

const h = useDrydock();

test('issued sessions are kept in the store and registered again after a restart', async () => {
  const iam = await installFakeIam(h.dd, new FakeIam());
  iam.addRole('000000000000', 'keep', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }] });
  const sts = new STSClient(sdkConfig(h.dd));
  const r = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/keep', RoleSessionName: 'kept' }));
  const old = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/keep', RoleSessionName: 'old', DurationSeconds: 900 }));

  // A restarted app has empty identities and the same stores (the data directory).
  const fresh = new Identities();
  h.dd.clock.advance(1000);
  restoreSessions({ clock: h.dd.clock, stores: h.dd.app.stores, identities: fresh });
  const rec = fresh.lookup(r.Credentials!.AccessKeyId!);
  assert.equal(rec?.principal.arn, 'arn:aws:sts::000000000000:assumed-role/keep/kept');
  assert.equal(rec?.secretAccessKey, r.Credentials!.SecretAccessKey);
  assert.equal(rec?.expiration?.getTime(), r.Credentials!.Expiration!.getTime());
  // Expired ones stay known for a day, so the gateway answers ExpiredToken rather than an unknown key.
  assert.ok(fresh.lookup(old.Credentials!.AccessKeyId!)!.expiration!.getTime() < h.dd.clock.nowMs());
  h.dd.clock.advance(2 * 86400);
  const later = new Identities();
  restoreSessions({ clock: h.dd.clock, stores: h.dd.app.stores, identities: later });
  assert.equal(later.lookup(old.Credentials!.AccessKeyId!), undefined);
});
