/**
 * The feature-permission catalogue. Roles hold keys from it; menus, actions and API routes check
 * them. `kind` says where the key shows: a menu entry, an action button, or an API-only grant.
 */
export interface PermissionDef {
  key: string;
  group: string;
  kind: 'menu' | 'action' | 'api';
  title: { 'zh-CN': string; en: string };
}

const p = (
  key: string,
  group: string,
  kind: PermissionDef['kind'],
  zh: string,
  en: string,
): PermissionDef => ({
  key,
  group,
  kind,
  title: { 'zh-CN': zh, en },
});

export const permissionCatalogue: readonly PermissionDef[] = [
  p('users.read', 'system', 'menu', '查看用户', 'View users'),
  p('users.manage', 'system', 'action', '管理用户', 'Manage users'),
  p('roles.read', 'system', 'menu', '查看角色', 'View roles'),
  p('roles.manage', 'system', 'action', '管理角色与权限', 'Manage roles and permissions'),
  p('areas.read', 'system', 'menu', '查看区域', 'View areas'),
  p('areas.manage', 'system', 'action', '管理区域', 'Manage areas'),
  p('audit.read', 'system', 'menu', '查看审计日志', 'View audit log'),
  p('plugins.read', 'system', 'menu', '查看插件', 'View plugins'),
  p('plugins.manage', 'system', 'action', '启用与配置插件', 'Enable and configure plugins'),
  p('tokens.manage', 'system', 'api', '管理 API 令牌', 'Manage API tokens'),
  p('customers.read', 'archives', 'menu', '查看用户档案', 'View customers and accounts'),
  p('customers.write', 'archives', 'action', '管理用户档案', 'Manage customers and accounts'),
  p('customers.pii', 'archives', 'action', '查看用户电话与证件号', 'See customer phone and ID numbers'),
  p('archives.import', 'archives', 'action', '批量导入档案', 'Import archives in bulk'),
  p('meters.read', 'metering', 'menu', '查看表计与读数', 'View meters and readings'),
  p(
    'meters.write',
    'metering',
    'action',
    '管理表计与采集设备档案',
    'Manage meters, collectors and concentrators',
  ),
  p('meters.control', 'metering', 'action', '远程控制（阀门/拉合闸）', 'Remote control (valve/relay)'),
  p(
    'meters.control.override',
    'metering',
    'action',
    '越过保电执行断开',
    'Cut supply despite keep-power (override)',
  ),
  p('meters.control.approve', 'metering', 'action', '审批批量控制', 'Approve batch control commands'),
  p('meters.read-now', 'metering', 'action', '实时抄表', 'Read meters now'),
  p(
    'readings.manual',
    'metering',
    'action',
    '录入人工读数（现场拍照）',
    'Enter manual readings (with a photo)',
  ),
  p('readings.schedule', 'metering', 'action', '管理抄表计划', 'Manage reading schedules'),
  p('billing.read', 'billing', 'menu', '查看账单', 'View bills'),
  p('billing.run', 'billing', 'action', '执行计费', 'Run billing'),
  p('billing.adjust', 'billing', 'action', '作废、重开与退补账单', 'Cancel, re-bill and adjust bills'),
  p('tariffs.manage', 'billing', 'action', '管理价格方案', 'Manage tariffs'),
  p('prepaid.manage', 'billing', 'action', '管理预付费策略与保电', 'Manage prepaid policy and keep-power'),
  p('payments.read', 'payments', 'menu', '查看收费记录', 'View payments'),
  p('payments.collect', 'payments', 'action', '收费', 'Collect payments'),
  p('payments.refund', 'payments', 'action', '退款', 'Refund payments'),
  p('payments.reverse.approve', 'payments', 'action', '审批收费冲正', 'Approve payment reversals'),
  p('notify.read', 'billing', 'menu', '查看通知与发送记录', 'View notices and the delivery log'),
  p('notify.manage', 'billing', 'action', '管理通知模板与设置', 'Manage notice templates and settings'),
  p('documents.read', 'payments', 'menu', '查看与重打单据', 'View and re-print documents'),
  p('documents.issue', 'payments', 'action', '开具收据与缴费通知单', 'Issue receipts and notices'),
  p('documents.void', 'payments', 'action', '作废单据', 'Void documents'),
  p('documents.design', 'payments', 'action', '设计与发布单据模板', 'Design and publish document templates'),
  p('reports.read', 'analysis', 'menu', '查看报表', 'View reports'),
  p('reports.design', 'analysis', 'action', '设计报表版式', 'Design report layouts'),
  p('reports.schedule', 'analysis', 'action', '定时发送报表', 'Schedule reports by email'),
  p('analysis.read', 'analysis', 'menu', '查看异常诊断', 'View anomaly diagnosis'),
  p(
    'analysis.manage',
    'analysis',
    'action',
    '处理异常（指派、备注、关闭）',
    'Handle anomalies (assign, note, close)',
  ),
];

/** Held by platform operators only; never assignable to a tenant role. */
export const OPERATOR_PERMISSION = 'tenants.manage';

/** Titles of the permissions only platform operators hold, so clients can name every key a session has. */
export const operatorPermissionCatalogue: readonly PermissionDef[] = [
  p(OPERATOR_PERMISSION, 'platform', 'menu', '管理租户', 'Manage tenants'),
];

export const permissionKeys: ReadonlySet<string> = new Set(permissionCatalogue.map((d) => d.key));

/**
 * Built-in roles created with every tenant. Name and description are stored in the default language
 * (zh-CN); clients show built-in roles in their own language by `key` (the role DTO's `builtinKey`).
 */
export const builtinRoles = [
  {
    key: 'admin',
    name: '系统管理员',
    description: '全部权限',
    permissions: [...permissionKeys],
  },
  {
    key: 'reader',
    name: '抄表员',
    description: '负责所辖区域抄表',
    permissions: [
      'areas.read',
      'customers.read',
      'meters.read',
      'meters.read-now',
      'meters.control',
      'readings.manual',
    ],
  },
  {
    key: 'cashier',
    name: '收费员',
    description: '负责收费',
    permissions: [
      'areas.read',
      'customers.read',
      'billing.read',
      'payments.read',
      'payments.collect',
      'documents.read',
      'documents.issue',
    ],
  },
] as const;
