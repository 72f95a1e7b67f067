import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cidrContains, parseCidr, parseDate, parseIp, parseNumber } from '../../../src/engines/iam-policy/scalars.js';

test('dates: ISO 8601 forms and epoch seconds agree', () => {
  const t = Date.UTC(2024, 0, 2, 3, 4, 5);
  assert.equal(parseDate('2024-01-02T03:04:05Z'), t);
  assert.equal(parseDate('2024-01-02T03:04:05.000Z'), t);
  assert.equal(parseDate('2024-01-02T03:04:05'), t, 'no zone means UTC, not local time');
  assert.equal(parseDate('2024-01-02T05:04:05+02:00'), t);
  assert.equal(parseDate('2024-01-02T01:04:05-0200'), t);
  assert.equal(parseDate(String(t / 1000)), t);
  assert.equal(parseDate('2024-01-02'), Date.UTC(2024, 0, 2));
  assert.equal(parseDate('2024-01-02T03:04Z'), Date.UTC(2024, 0, 2, 3, 4));
  assert.equal(parseDate('2024-01-02T03:04:05.5Z'), t + 500);
});

test('dates: rubbish is NaN', () => {
  for (const bad of ['', 'tomorrow', '2024-13-01', '2024-01-02T25:00:00Z', '01/02/2024']) {
    assert.ok(Number.isNaN(parseDate(bad)), bad);
  }
});

test('numbers: decimals and exponents, nothing else', () => {
  assert.equal(parseNumber('10'), 10);
  assert.equal(parseNumber('-1.5e2'), -150);
  assert.equal(parseNumber(' 7 '), 7);
  assert.ok(Number.isNaN(parseNumber('0x10')));
  assert.ok(Number.isNaN(parseNumber('')));
  assert.ok(Number.isNaN(parseNumber('ten')));
});

test('ip: IPv4, IPv6, compressed forms and IPv4-mapped addresses', () => {
  assert.deepEqual(parseIp('10.0.0.1'), { family: 4, value: 0x0a000001n });
  assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
  assert.deepEqual(parseIp('2001:db8::'), { family: 6, value: 0x20010db8n << 96n });
  assert.deepEqual(parseIp('::ffff:10.0.0.1'), { family: 4, value: 0x0a000001n });
  assert.deepEqual(parseIp('64:ff9b::192.0.2.33')?.family, 6);
  for (const bad of ['256.0.0.1', '1.2.3', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', '']) assert.equal(parseIp(bad), undefined, bad);
});

test('cidr: containment by family and prefix', () => {
  const v4 = parseCidr('203.0.113.0/24');
  const v6 = parseCidr('2001:db8:1234::/48');
  assert.ok(v4 && v6);
  assert.ok(cidrContains(v4, parseIp('203.0.113.255')!));
  assert.ok(!cidrContains(v4, parseIp('203.0.114.0')!));
  assert.ok(cidrContains(v6, parseIp('2001:db8:1234:ffff::1')!));
  assert.ok(!cidrContains(v6, parseIp('2001:db8:1235::1')!));
  assert.ok(!cidrContains(v4, parseIp('::1')!), 'families never mix');
  assert.ok(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!));
  assert.ok(cidrContains(parseCidr('192.0.2.7')!, parseIp('192.0.2.7')!), 'a bare address is a /32');
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('10.0.0.0/8/1'), undefined);
});
