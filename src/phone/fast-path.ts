import { Metadata, type CountryCode, type NumberType } from 'libphonenumber-js/core';
import { getCountryCallingCode } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';

/**
 * Regions where libphonenumber's parsing reduces to "drop the calling code, or the one-digit
 * national prefix": the calling code belongs to the region alone (62 is only ID) and the national
 * prefix is a literal with no rewriting rule (ID: "0"). For them the number type is decided here
 * from the library's own metadata patterns, compiled once, in the library's own order (its
 * getNumberType compiles each pattern again on every call, which was a fifth of an import's CPU).
 * test/unit/fast-path.test.ts checks on random numbers in every form that the answers equal a full
 * libphonenumber parse; a region is added here only with that test extended to it.
 */
const FAST_PATH_NATIONAL_PREFIX: Partial<Record<CountryCode, string>> = { ID: '0' };

/** `+` and 15 digits: E.164's limit. */
const MAX_E164_DIGITS = 15;

/** libphonenumber's order for types other than fixed line (helpers/getNumberType.js). */
const NON_FIXED_LINE_TYPES = ['MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const;

type KnownType = NonNullable<NumberType>;

/** The parts of libphonenumber's numbering-plan object used here (present at run time, not in its typings). */
interface NumberingPlanView {
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

interface CompiledType {
  pattern: RegExp;
  lengths: number[] | undefined;
}

interface CompiledPlan {
  callingCode: string;
  nationalPrefix: string;
  general: RegExp;
  fixedLine: CompiledType | null;
  /** How the plan describes mobile numbers: absent, empty (same as fixed line), or a pattern. */
  mobile: 'absent' | 'same-as-fixed-line' | CompiledType;
  others: Array<[KnownType, CompiledType]>;
}

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);

function compileType(plan: NumberingPlanView, name: string): CompiledType | null {
  const definition = plan.type(name);
  if (!definition || !definition.pattern()) return null;
  return { pattern: whole(definition.pattern()), lengths: definition.possibleLengths() };
}

const compiled = new Map<CountryCode, CompiledPlan | null>();

function compiledPlan(region: CountryCode): CompiledPlan | null {
  if (compiled.has(region)) return compiled.get(region)!;
  const nationalPrefix = FAST_PATH_NATIONAL_PREFIX[region];
  let result: CompiledPlan | null = null;
  if (nationalPrefix !== undefined) {
    const meta = new Metadata(metadata);
    meta.selectNumberingPlan(region);
    const plan = meta.numberingPlan as unknown as NumberingPlanView;
    const mobile = plan.type('MOBILE');
    result = {
      callingCode: getCountryCallingCode(region),
      nationalPrefix,
      general: whole(plan.nationalNumberPattern()),
      fixedLine: compileType(plan, 'FIXED_LINE'),
      mobile: !mobile ? 'absent' : mobile.pattern() === '' ? 'same-as-fixed-line' : compileType(plan, 'MOBILE')!,
      others: NON_FIXED_LINE_TYPES.flatMap((name) => {
        const type = compileType(plan, name);
        return type ? [[name, type] as [KnownType, CompiledType]] : [];
      }),
    };
  }
  compiled.set(region, result);
  return result;
}

function matches(type: CompiledType | null, national: string): boolean {
  if (!type) return false;
  if (type.lengths && !type.lengths.includes(national.length)) return false;
  return type.pattern.test(national);
}

/** libphonenumber's getNumberType, on precompiled patterns. */
function numberType(plan: CompiledPlan, national: string): KnownType | undefined {
  if (!plan.general.test(national)) return undefined;
  if (matches(plan.fixedLine, national)) {
    if (plan.mobile === 'absent' || plan.mobile === 'same-as-fixed-line') return 'FIXED_LINE_OR_MOBILE';
    return matches(plan.mobile, national) ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
  }
  for (const [name, type] of plan.others) if (matches(type, national)) return name;
  return undefined;
}

export interface FastResult {
  e164: string;
  type: KnownType;
  region: CountryCode;
}

function build(region: CountryCode, plan: CompiledPlan, national: string): FastResult | null {
  if (national === '' || national.startsWith('0') || plan.callingCode.length + national.length > MAX_E164_DIGITS) return null;
  const type = numberType(plan, national);
  return type === undefined ? null : { e164: `+${plan.callingCode}${national}`, type, region };
}

/** Digits after `+` (or `00`, or a WhatsApp id); null when the full parse must decide. */
export function fastInternational(digits: string, region: CountryCode): FastResult | null {
  const plan = compiledPlan(region);
  if (!plan || !digits.startsWith(plan.callingCode)) return null;
  return build(region, plan, digits.slice(plan.callingCode.length));
}

/** Digits written nationally ("0812…" or "812…"); null when the full parse must decide. */
export function fastNational(digits: string, region: CountryCode): FastResult | null {
  const plan = compiledPlan(region);
  if (!plan) return null;
  const national = digits.startsWith(plan.nationalPrefix) ? digits.slice(plan.nationalPrefix.length) : digits;
  return build(region, plan, national);
}
