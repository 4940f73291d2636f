import { billingModes, customerTypes } from '../../db/schema/index.ts';
import { textColumn } from './column-defs.ts';
import type { ColumnDef } from './entity.ts';
import {
  ok,
  parseBool,
  parseDate,
  parseDecimal,
  parseEnum,
  parseInt32,
  parseText,
  parseYuanToFen,
} from './parse.ts';

const typeAliases = {
  居民: 'resident',
  商业: 'commercial',
  工业: 'industrial',
  机关事业: 'institution',
} as const;
const statusAliases = { 正常: 'active', 销户: 'closed' } as const;
const modeAliases = { 预付费: 'prepaid', 后付费: 'postpaid' } as const;

/** The customers sheet: the customer, optionally one account, and effective-dated facts. */
export const customerColumns: ColumnDef[] = [
  textColumn('number', '用户编号', 'Customer number', 64, { required: true, example: 'C000001' }),
  textColumn('name', '用户名称', 'Name', 200, { required: true, example: '张三' }),
  {
    key: 'type',
    header: { 'zh-CN': '用户类型', en: 'Type' },
    max: 32,
    parse: (s) => parseEnum(s, customerTypes, typeAliases),
    example: 'resident',
  },
  textColumn('phone', '联系电话', 'Phone', 32, {
    parse: (s) =>
      /^[0-9+\-() ]{3,32}$/.test(s) ? ok(s) : { ok: false, code: 'phone', message: 'is not a phone number' },
    example: '13800138000',
  }),
  textColumn('idNumber', '证件号码', 'ID number', 32),
  textColumn('address', '地址', 'Address', 500),
  textColumn('area', '所属区域', 'Area', 500, { required: true }),
  {
    key: 'lowIncome',
    header: { 'zh-CN': '低保户', en: 'Low income' },
    max: 8,
    parse: parseBool,
    example: '否',
  },
  textColumn('tags', '标签', 'Tags', 500, {
    parse: (s) => {
      const t = parseText(s, 500);
      if (!t.ok) return t;
      return ok(
        [
          ...new Set(
            s
              .split(/[,，;；]/)
              .map((x) => x.trim())
              .filter(Boolean),
          ),
        ].sort(),
      );
    },
  }),
  textColumn('notes', '备注', 'Notes', 2000),
  {
    key: 'status',
    header: { 'zh-CN': '状态', en: 'Status' },
    max: 16,
    parse: (s) => parseEnum(s, ['active', 'closed'] as const, statusAliases),
    example: 'active',
  },
  {
    key: 'householdSize',
    header: { 'zh-CN': '家庭人口', en: 'Household size' },
    max: 8,
    parse: (s) => {
      const n = parseInt32(s, 0, 99);
      return n.ok ? ok(String(n.value)) : n;
    },
  },
  {
    key: 'heatedArea',
    header: { 'zh-CN': '供热面积(m²)', en: 'Heated area (m²)' },
    max: 16,
    parse: (s) => parseDecimal(s, 2, 9_999_999),
  },
  {
    key: 'factsFrom',
    header: { 'zh-CN': '人口/面积生效日期', en: 'Facts effective from' },
    max: 32,
    parse: parseDate,
  },
  textColumn('accountNumber', '账户编号', 'Account number', 64),
  {
    key: 'billingMode',
    header: { 'zh-CN': '计费方式', en: 'Billing mode' },
    max: 16,
    parse: (s) => parseEnum(s, billingModes, modeAliases),
  },
  {
    key: 'readingDay',
    header: { 'zh-CN': '抄表日', en: 'Reading day' },
    max: 8,
    parse: (s) => parseInt32(s, 1, 28),
  },
  {
    key: 'billingCycleMonths',
    header: { 'zh-CN': '结算周期(月)', en: 'Billing cycle (months)' },
    max: 8,
    parse: (s) => parseInt32(s, 1, 12),
  },
  {
    key: 'deposit',
    header: { 'zh-CN': '押金(元)', en: 'Deposit (yuan)' },
    max: 20,
    parse: parseYuanToFen,
  },
];

export const ACCOUNT_COLUMNS = ['billingMode', 'readingDay', 'billingCycleMonths', 'deposit'] as const;
