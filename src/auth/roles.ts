export const ROLES = ['bot', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** bot < staff < admin: a role may do everything the roles below it may. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** Who is acting: a key, or a person at the command line. Recorded with every write. */
export interface Actor {
  keyId: number | null;
  name: string;
  role: Role;
}
