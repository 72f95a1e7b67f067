export const DEFAULT_REGION = 'us-east-1';

/** Whether a string has the form of an AWS region name (e.g. `eu-central-1`, `us-gov-west-1`). */
export function isRegionLike(s: string): boolean {
  return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(s);
}
