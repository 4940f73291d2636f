import type { AuditEntry } from '../api/audit.ts';
import type { Role } from '../api/roles.ts';
import { i18n, localTitle } from './index.ts';

// Names of things the server identifies by key, in the current language. Each falls back to the
// key itself when the admin has no translation (a code added after this build).

const translated = (key: string, fallback: string): string => {
  const { t, te } = i18n.global;
  return te(key) ? t(key) : fallback;
};

/** `users.update` → 修改用户 / Change user. */
export function auditActionLabel(action: string): string {
  return translated(`audit.actions.${action}`, action);
}

/** `role` → 角色 / Role. */
export function targetTypeLabel(type: string): string {
  return translated(`audit.targetTypes.${type}`, type);
}

/** The target of an audit entry as a person names it: its title, its name, else its id. */
export function auditTargetName(entry: Pick<AuditEntry, 'targetName' | 'targetTitle' | 'targetId'>): string {
  if (entry.targetTitle) return localTitle(entry.targetTitle, entry.targetName ?? entry.targetId ?? '');
  return entry.targetName ?? entry.targetId ?? '';
}

// What built-in roles were created with before their descriptions became single-language.
const LEGACY_DESCRIPTIONS: Record<string, string> = {
  admin: 'All permissions / 全部权限',
  reader: 'Reads meters in their areas / 负责所辖区域抄表',
  cashier: 'Collects payments / 收费',
};

/** The default name or description of a built-in role in every language. */
function defaults(key: string, field: 'name' | 'description'): string[] {
  const path = `roles.builtinRoles.${key}.${field}`;
  const { t, te, availableLocales } = i18n.global;
  if (!te(path, 'zh-CN')) return [];
  const values = availableLocales.map((locale) => t(path, {}, { locale }));
  if (field === 'description' && LEGACY_DESCRIPTIONS[key]) values.push(LEGACY_DESCRIPTIONS[key]);
  return values;
}

/**
 * A role's name or description as shown: a built-in role still carrying its default text shows it
 * in the current language; a renamed built-in role and every custom role show what was entered.
 */
function roleText(
  role: Pick<Role, 'builtinKey' | 'name' | 'description'>,
  field: 'name' | 'description',
): string {
  const stored = role[field] ?? '';
  if (!role.builtinKey || !defaults(role.builtinKey, field).includes(stored)) return stored;
  return i18n.global.t(`roles.builtinRoles.${role.builtinKey}.${field}`);
}

export const roleName = (role: Pick<Role, 'builtinKey' | 'name' | 'description'>) => roleText(role, 'name');
export const roleDescription = (role: Pick<Role, 'builtinKey' | 'name' | 'description'>) =>
  roleText(role, 'description');

/** Joins names with the list separator of the current language (、 or , ). */
export function joinList(items: string[]): string {
  return items.join(i18n.global.t('common.listSeparator'));
}
