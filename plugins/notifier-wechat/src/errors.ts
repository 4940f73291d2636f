/** Where a WeChat call failed: fetching the access_token, or sending the message. */
export type WechatStage = 'token' | 'send';

/** The API answered `{errcode ≠ 0, errmsg}` (HTTP 200 in every captured example). */
export class WechatApiError extends Error {
  override readonly name = 'WechatApiError';
  readonly stage: WechatStage;
  readonly errcode: number;
  readonly errmsg: string;
  constructor(stage: WechatStage, errcode: number, errmsg: string) {
    super(`WeChat ${stage} failed: errcode ${errcode} ${errmsg}`.slice(0, 400));
    this.stage = stage;
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}

/** The API was not reached, timed out, or answered something that is no API answer. */
export class WechatTransportError extends Error {
  override readonly name = 'WechatTransportError';
  readonly stage: WechatStage;
  /** the HTTP status when one came back */
  readonly status: number | undefined;
  constructor(stage: WechatStage, message: string, status?: number) {
    super(message.slice(0, 400));
    this.stage = stage;
    this.status = status;
  }
}
