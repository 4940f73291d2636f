export type PushPlatform = 'chirpstack' | 'ctwing' | 'onenet' | 'iotda';

export type PushKind =
  | 'uplink'
  | 'join'
  | 'ack'
  | 'txack'
  | 'status'
  | 'online'
  | 'offline'
  | 'command-response'
  | 'event'
  | 'properties';

/** One thing a platform told the meter application server, in the same shape for all four. */
export interface PushEvent {
  platform: PushPlatform;
  kind: PushKind;
  /** the platform's device id (ChirpStack: DevEUI; OneNET classic: dev_id; OneNET Studio: deviceName) */
  deviceId: string;
  imei?: string;
  /** LoRaWAN DevEUI, lower-case hex */
  devEui?: string;
  /** ISO 8601 (UTC) */
  time: string;
  /** device bytes carried by the push (upper-case hex), to hand to a frame codec */
  bytes?: string;
  /** values the platform already decoded (thing model, codec output, data points) */
  properties?: Record<string, unknown>;
  /** platform-specific fields worth keeping (ids, radio metadata, result codes) */
  meta: Record<string, unknown>;
}

/** Result of sniffing device bytes and running the matching frame codec. */
export type DeviceDecode =
  | {
      protocol: 'cjt188' | 'dlt645' | 'mbus';
      frame: unknown;
      /** bytes after the frame's end byte (noise a module appended), hex; absent when none */
      trailing?: string;
    }
  | {
      protocol: 'unknown';
      hex: string;
      /** the codec the bytes looked like, when one matched the shape */
      candidate?: 'cjt188' | 'dlt645' | 'mbus';
      /** ProtocolError code from the codec, or CODEC_UNAVAILABLE / CODEC_FAILED */
      reason?: string;
    };
