/**
 * Sender ids that are not phone numbers but stand for one person: WhatsApp's LinkedIDs
 * (`123456789012345@lid`, `…:7@lid` for a device, `…@hosted.lid` for a Cloud-API-hosted device) and
 * the Cloud API's business-scoped user ids (BSUID, `user_id`: a two-letter country prefix, a dot and
 * an id, e.g. `ID.1349120865530274191`; a parent BSUID `US.ENT.…`). They are read into one canonical spelling so that every
 * way a bot writes the same id finds the same row, and they are never turned into phone numbers.
 */
export type IdentityKind = 'lid' | 'bsuid';
export const IDENTITY_KINDS = ['lid', 'bsuid'] as const;

export interface SenderIdentity {
  kind: IdentityKind;
  /** Canonical: `<user>@lid` or `<user>@hosted.lid` without the device; a BSUID with its prefix upper-cased. */
  id: string;
}

/** A BSUID is a country code, a dot and up to 128 characters (a parent BSUID adds `ENT.`); bounds the work and the column. */
export const MAX_IDENTITY_LENGTH = 160;

/** `user`, `user:device` or `user_agent:device`, as Baileys writes LIDs too. */
const LID = /^(\d{1,40})(?:_\d{1,5})?(?::\d{1,5})?@(lid|hosted\.lid)$/i;
/**
 * ISO 3166 alpha-2 country code, a dot, then up to 128 alphanumerics (`US.13491208655302741918`);
 * a parent BSUID, shared by linked business portfolios, puts `ENT.` first (`US.ENT.1181…`).
 */
const BSUID = /^([A-Za-z]{2})\.((?:ENT\.)?[0-9A-Za-z]{1,128})$/;

/** The id `text` names, or null when it is not a LID or a BSUID (a phone form, a group, junk). */
export function readSenderIdentity(text: string): SenderIdentity | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_IDENTITY_LENGTH) return null;
  const lid = LID.exec(trimmed);
  if (lid) return { kind: 'lid', id: `${lid[1]}@${lid[2]!.toLowerCase()}` };
  const bsuid = BSUID.exec(trimmed);
  if (bsuid) return { kind: 'bsuid', id: `${bsuid[1]!.toUpperCase()}.${bsuid[2]}` };
  return null;
}
