/**
 * Validation of record values by type, with Route 53's "Invalid Resource Record: FATAL
 * problem: …" messages, which ChangeResourceRecordSets returns inside InvalidChangeBatch.
 */
import { parseIp } from '../../engines/dns/index.js';

export const RECORD_TYPES = new Set(['SOA', 'A', 'TXT', 'NS', 'CNAME', 'MX', 'NAPTR', 'PTR', 'SRV', 'SPF', 'AAAA', 'CAA', 'DS', 'TLSA', 'SSHFP', 'SVCB', 'HTTPS']);

const fatal = (code: string, why: string, value: string): string =>
  `Invalid Resource Record: 'FATAL problem: ${code} (${why}) encountered with '${value}''`;

const HOST = /^([a-z0-9_*-]+\.)*[a-z0-9_-]*\.?$/i;
const u16 = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s) && Number(s) <= 65535;

/** The problem with one value of a record of `type`, or undefined when it is fine. */
export function valueProblem(type: string, value: string): string | undefined {
  const f = value.trim().split(/\s+/);
  switch (type) {
    case 'A': return parseIp(value)?.bits === 32 && !value.includes(':') ? undefined : fatal('ARRDATAIllegalIPv4Address', 'Value is not a valid IPv4 address', value);
    case 'AAAA': return value.includes(':') && parseIp(value)?.bits === 128 ? undefined : fatal('AAAARRDATAIllegalIPv6Address', 'Value is not a valid IPv6 address', value);
    case 'CNAME': case 'NS': case 'PTR':
      return value.length > 0 && HOST.test(value) && !/\s/.test(value) ? undefined : fatal('DomainLabelEmpty', 'Domain label is empty', value);
    case 'MX':
      if (f.length !== 2) return fatal(f.length < 2 ? 'MXRRDATATooFewFields' : 'MXRRDATATooManyFields', `Value contains too ${f.length < 2 ? 'few' : 'many'} fields`, value);
      return u16(f[0]) ? undefined : fatal('MXRRDATANonIntegerPreference', 'Preference is not an integer', value);
    case 'SRV':
      if (f.length !== 4) return fatal(f.length < 4 ? 'SRVRRDATATooFewFields' : 'SRVRRDATATooManyFields', `Value contains too ${f.length < 4 ? 'few' : 'many'} fields`, value);
      return u16(f[0]) && u16(f[1]) && u16(f[2]) ? undefined : fatal('SRVRRDATANonIntegerField', 'Priority, weight and port must be integers', value);
    case 'TXT': case 'SPF':
      if (!/^"/.test(value.trim())) return fatal('InvalidCharacterString', 'Value should be enclosed in quotation marks', value);
      return /^("([^"\\]|\\.)*"\s*)+$/.test(value.trim()) ? undefined : fatal('InvalidCharacterString', 'Value should be enclosed in quotation marks', value);
    case 'CAA':
      return f.length >= 3 && /^\d+$/.test(f[0]!) && Number(f[0]) <= 255 && /^(issue|issuewild|iodef|issuemail)$/i.test(f[1]!) && /^".*"$/.test(f.slice(2).join(' '))
        ? undefined : fatal('CAARRDATAInvalid', 'Value must be flags, a tag (issue, issuewild, iodef) and a quoted value', value);
    case 'DS':
      return f.length === 4 && u16(f[0]) && /^\d+$/.test(f[1]!) && /^\d+$/.test(f[2]!) && /^[0-9a-fA-F]+$/.test(f[3]!)
        ? undefined : fatal('DSRRDATAInvalid', 'Value must be a key tag, an algorithm, a digest type and a hex digest', value);
    case 'SOA':
      return f.length === 7 && f.slice(2).every((x) => /^\d+$/.test(x)) ? undefined : fatal('SOARRDATATooFewFields', 'Value must have 7 fields', value);
    default: return undefined;
  }
}
