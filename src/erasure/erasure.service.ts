import { createHmac } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { recordAudit } from '../audit/audit.repository.js';
import type { ServiceContext } from '../context.js';
import { inTransaction } from '../db/query.js';
import { AppError } from '../errors.js';
import { requireValidNumber } from '../normalize/normalize.service.js';
import { eraseNumberRows, type ErasedCounts } from './erasure.repository.js';

/**
 * A person's right to erasure (UU PDP art. 8, GDPR art. 17): the number goes from every table that
 * holds it — the filed row and its contact name, its WhatsApp ids, its history and every audit value
 * that mentions it or the name, import rejections that quoted it, webhook deliveries naming it — in one transaction. What stays is
 * one audit row saying that a number was erased, when and by whom, with a keyed hash of the number:
 * whoever holds the key can later answer "was +62… erased?", and without the key the hash cannot be
 * walked back through the few billion possible numbers.
 */
export async function eraseNumber(ctx: ServiceContext, input: string): Promise<{ erased: ErasedCounts }> {
  if (!ctx.erasureKey) throw new AppError('UNAVAILABLE', 'Erasure needs ERASURE_HMAC_KEY (or a DATA_DIR to keep one in)');
  const { e164 } = requireValidNumber(ctx, input);
  const nationalDigits = parsePhoneNumberFromString(e164)!.nationalNumber;
  const numberHash = createHmac('sha256', ctx.erasureKey).update(e164).digest('hex');
  const erased = await inTransaction(ctx, async (tx) => {
    const counts = await eraseNumberRows(tx, e164, nationalDigits);
    await recordAudit(tx, ctx.actor, { action: 'erasure', entityType: 'erasure', entityId: null, newValue: { number_hmac_sha256: numberHash, erased: counts } });
    return counts;
  });
  return { erased };
}
