/** Application function codes (AFN) of Q/GDW 1376.1 and which of them carry PW downlink. */
export interface AfnDef {
  code: number;
  name: string;
  nameZh: string;
  /** A downlink frame of this AFN ends its user data with the message authentication code PW. */
  pw: boolean;
}

export const AFNS: readonly AfnDef[] = [
  { code: 0x00, name: 'confirm/deny', nameZh: '确认∕否认', pw: false },
  { code: 0x01, name: 'reset', nameZh: '复位', pw: true },
  { code: 0x02, name: 'link interface test', nameZh: '链路接口检测', pw: false },
  { code: 0x03, name: 'relay station command', nameZh: '中继站命令', pw: false },
  { code: 0x04, name: 'set parameters', nameZh: '设置参数', pw: true },
  { code: 0x05, name: 'control command', nameZh: '控制命令', pw: true },
  { code: 0x06, name: 'authentication and key negotiation', nameZh: '身份认证及密钥协商', pw: false },
  { code: 0x08, name: 'request cascaded terminal report', nameZh: '请求被级联终端主动上报', pw: false },
  { code: 0x09, name: 'request terminal configuration', nameZh: '请求终端配置', pw: false },
  { code: 0x0a, name: 'query parameters', nameZh: '查询参数', pw: false },
  { code: 0x0b, name: 'request task data', nameZh: '请求任务数据', pw: false },
  { code: 0x0c, name: 'request class 1 data (realtime)', nameZh: '请求1类数据', pw: false },
  { code: 0x0d, name: 'request class 2 data (frozen)', nameZh: '请求2类数据', pw: false },
  { code: 0x0e, name: 'request class 3 data (events)', nameZh: '请求3类数据', pw: false },
  { code: 0x0f, name: 'file transfer', nameZh: '文件传输', pw: true },
  { code: 0x10, name: 'data forwarding', nameZh: '数据转发', pw: true },
];

export function findAfn(code: number): AfnDef | undefined {
  return AFNS.find((a) => a.code === code);
}

export function afnHex(code: number): string {
  return code.toString(16).padStart(2, '0').toUpperCase();
}
