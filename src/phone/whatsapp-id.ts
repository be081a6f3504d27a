import type { RejectionReason } from './rejection-reason.js';

export type WhatsAppIdReading =
  | { kind: 'not-a-jid' }
  | { kind: 'phone'; digits: string }
  | { kind: 'refused'; reason: RejectionReason };

/** Servers whose ids are a person's phone number (`c.us` is the older name used by whatsapp-web.js and WAHA). */
const PHONE_SERVERS = new Set(['s.whatsapp.net', 'c.us']);
/** Groups, broadcast lists, channels and LinkedIDs: real ids, but not phone numbers. */
const NON_PHONE_SERVERS = new Set(['g.us', 'broadcast', 'newsletter', 'lid', 'hosted.lid']);
/** `user`, `user:device` or `user_agent:device` (Baileys writes all three). */
const JID_USER = /^(\d+)(?:_\d+)?(?::\d+)?$/;

export function readWhatsAppId(text: string): WhatsAppIdReading {
  const at = text.lastIndexOf('@');
  if (at === -1) return { kind: 'not-a-jid' };
  const server = text.slice(at + 1).trim().toLowerCase();
  if (NON_PHONE_SERVERS.has(server)) return { kind: 'refused', reason: 'NOT_A_PHONE_ID' };
  if (!PHONE_SERVERS.has(server)) return { kind: 'refused', reason: 'NOT_A_NUMBER' };
  const user = JID_USER.exec(text.slice(0, at).trim());
  if (!user?.[1]) return { kind: 'refused', reason: 'NOT_A_NUMBER' };
  return { kind: 'phone', digits: user[1] };
}
