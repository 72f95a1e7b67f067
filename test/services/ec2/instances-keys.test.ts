/** Key pairs: real keys with EC2's fingerprints, OpenSSH import, and RunInstances' KeyName check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import {
  CreateKeyPairCommand, DeleteKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';
import { runOne } from './instances-helpers.js';

const h = useDrydock();
const colonHex = (b: Buffer) => b.toString('hex').match(/../g)!.join(':');

test('CreateKeyPair: RSA (PKCS#1 PEM, SHA-1 of the PKCS#8 key) and ED25519 (OpenSSH, base64 SHA-256); ImportKeyPair: MD5 of the public key; duplicates and bad keys refused', async () => {
  const c = ec2Client(h.dd);
  const rsa = await c.send(new CreateKeyPairCommand({ KeyName: 'deploy', TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'env', Value: 'dev' }] }] }));
  assert.match(rsa.KeyMaterial!, /^-----BEGIN RSA PRIVATE KEY-----\n/);
  assert.match(rsa.KeyPairId!, /^key-[0-9a-f]{17}$/);
  const priv = createPrivateKey(rsa.KeyMaterial!);
  assert.equal(rsa.KeyFingerprint, colonHex(createHash('sha1').update(priv.export({ format: 'der', type: 'pkcs8' })).digest()));
  const dup = await failure(() => c.send(new CreateKeyPairCommand({ KeyName: 'deploy' })));
  assert.deepEqual([dup.name, dup.message], ['InvalidKeyPair.Duplicate', "The keypair 'deploy' already exists."]);

  const ed = await c.send(new CreateKeyPairCommand({ KeyName: 'edge', KeyType: 'ed25519' }));
  assert.match(ed.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  assert.match(ed.KeyFingerprint!, /^[A-Za-z0-9+/]{43}=$/);

  const listed = (await c.send(new DescribeKeyPairsCommand({ KeyNames: ['deploy', 'edge'], IncludePublicKey: true }))).KeyPairs!;
  assert.deepEqual(listed.map((k) => [k.KeyName, k.KeyType]), [['deploy', 'rsa'], ['edge', 'ed25519']]);
  assert.deepEqual(listed[0]!.Tags, [{ Key: 'env', Value: 'dev' }]);
  const rsaPublic = listed[0]!.PublicKey!;
  assert.match(rsaPublic, /^ssh-rsa AAAA\S+ deploy$/);
  const imported = await c.send(new ImportKeyPairCommand({ KeyName: 'laptop', PublicKeyMaterial: Buffer.from(rsaPublic) }));
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  assert.equal(imported.KeyFingerprint, colonHex(createHash('md5').update(spki).digest()));
  const edImported = await c.send(new ImportKeyPairCommand({ KeyName: 'edge-copy', PublicKeyMaterial: Buffer.from(listed[1]!.PublicKey!) }));
  assert.equal(edImported.KeyFingerprint, ed.KeyFingerprint, 'an ED25519 fingerprint is the same created or imported');
  const bad = await failure(() => c.send(new ImportKeyPairCommand({ KeyName: 'junk', PublicKeyMaterial: Buffer.from('ssh-rsa not-base64-key') })));
  assert.equal(bad.name, 'InvalidKey.Format');
  const byFingerprint = (await c.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'fingerprint', Values: [imported.KeyFingerprint!] }] }))).KeyPairs!;
  assert.deepEqual(byFingerprint.map((k) => k.KeyName), ['laptop']);
});

test('RunInstances checks KeyName; DeleteKeyPair succeeds even for a missing key', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.74.0.0/16', ['10.74.1.0/24']);
  const missing = await failure(() => runOne(c, v.subnetIds[0]!, { KeyName: 'nobody' }));
  assert.deepEqual([missing.name, missing.message], ['InvalidKeyPair.NotFound', "The key pair 'nobody' does not exist"]);
  await c.send(new CreateKeyPairCommand({ KeyName: 'ops' }));
  assert.equal((await runOne(c, v.subnetIds[0]!, { KeyName: 'ops' })).KeyName, 'ops');
  await c.send(new DeleteKeyPairCommand({ KeyName: 'ops' }));
  await c.send(new DeleteKeyPairCommand({ KeyName: 'ops' }));
  assert.equal((await failure(() => c.send(new DescribeKeyPairsCommand({ KeyNames: ['ops'] })))).name, 'InvalidKeyPair.NotFound');
});
