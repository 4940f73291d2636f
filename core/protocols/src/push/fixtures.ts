/**
 * Push bodies in the shapes the platforms document (field notes section 5 and 6), carrying the
 * project's own meter frames. OneNET signatures were computed as base64(md5(token + nonce + msg))
 * with `oneNetToken`.
 */

/** CJ/T 188 cold-water 901F reply: meter 00000000123456, 12.34 m³ (see cjt188 fixtures). */
export const cjt188ReplyHex = '6810563412000000008116' + '1F9001341200002C001000002C0030081503242000009D16';
/** DL/T 645-2007 read reply 00010000 (forward active energy) = 1234.56 kWh, meter 000000000001. */
export const dlt645ReplyHex = '6801000000000068910833333433896745339F16';
/** M-Bus RSP_UD long frame, CI 72, id 12345678, one volume record 0C 13 = 23456.789 m³. */
export const mbusReplyHex = '681515680801727856341224400107550000000C1389674523C716';

export const oneNetToken = 'qm-onenet-token';

export const chirpstackFixtures = {
  upTopic: 'application/6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11/device/70b3d57ed005a1b2/event/up',
  up: {
    deduplicationId: '0f2a4a1e-5d0b-4c61-8f3e-7b6c2d9e1a44',
    time: '2024-06-10T06:20:00.123456789+00:00',
    deviceInfo: {
      tenantId: '2d9f1c3e-8b7a-4e6d-9c5b-1a2b3c4d5e6f',
      tenantName: 'Quadmeter demo',
      applicationId: '6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11',
      applicationName: 'water meters',
      deviceProfileId: 'a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d',
      deviceProfileName: 'CJ188 LoRa water meter',
      deviceName: 'WM-0001',
      devEui: '70b3d57ed005a1b2',
      deviceClassEnabled: 'CLASS_A',
      tags: { building: 'B3' },
    },
    devAddr: '01a2b3c4',
    adr: true,
    dr: 2,
    fCnt: 118,
    fPort: 8,
    confirmed: false,
    data: 'aBBWNBIAAAAAgRYfkAE0EgAALAAQAAAsADAIFQMkIAAAnRY=',
    rxInfo: [
      {
        gatewayId: '7276ff002e0621a1',
        uplinkId: 1201,
        rssi: -97,
        snr: 4.25,
        channel: 3,
        context: 'AAAAAA==',
        crcStatus: 'CRC_OK',
      },
      {
        gatewayId: '7276ff002e0621a2',
        uplinkId: 1202,
        rssi: -88,
        snr: 8.5,
        context: 'AAAAAA==',
        crcStatus: 'CRC_OK',
      },
    ],
    txInfo: {
      frequency: 470300000,
      modulation: { lora: { bandwidth: 125000, spreadingFactor: 10, codeRate: 'CR_4_5' } },
    },
  },
  statusTopic: 'application/6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11/device/70b3d57ed005a1b2/event/status',
  status: {
    deduplicationId: '2b9c0d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
    time: '2024-06-10T07:00:00+00:00',
    deviceInfo: {
      applicationId: '6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11',
      deviceName: 'WM-0001',
      devEui: '70b3d57ed005a1b2',
    },
    margin: 7,
    externalPowerSource: false,
    batteryLevelUnavailable: false,
    batteryLevel: 61.5,
  },
  ackTopic: 'application/6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11/device/70b3d57ed005a1b2/event/ack',
  ack: {
    deduplicationId: '3c0d1e2f-4a5b-4c6d-9e7f-8091a2b3c4d5',
    time: '2024-06-10T07:05:12.5Z',
    deviceInfo: {
      applicationId: '6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11',
      deviceName: 'WM-0001',
      devEui: '70b3d57ed005a1b2',
    },
    queueItemId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
    acknowledged: true,
    fCntDown: 14,
  },
  joinTopic: 'application/6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11/device/70b3d57ed005a1b2/event/join',
  join: {
    deduplicationId: '4d1e2f3a-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
    time: '2024-06-10T06:00:01Z',
    deviceInfo: {
      applicationId: '6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11',
      deviceName: 'WM-0001',
      devEui: '70b3d57ed005a1b2',
    },
    devAddr: '01a2b3c4',
  },
  downTopic: 'application/6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11/device/70b3d57ed005a1b2/command/down',
  /** valve close (CJ/T 188 A017, 99) */
  down: { devEui: '70b3d57ed005a1b2', confirmed: true, fPort: 8, data: 'aBBWNBIAAAAABAQXoBKZfhY=' },
};

export const ctwingFixtures = {
  transparent: {
    timestamp: 1718000000000,
    tenantId: '2000123456',
    productId: '17051234',
    deviceId: '9c1e3a5b7d9f4b2a8c6e0d1f3a5b7c9d',
    messageType: 'dataReport',
    IMEI: '869975031234567',
    IMSI: '460111176543210',
    deviceType: '',
    topic: 'v1/up/ad',
    assocAssetId: '',
    upPacketSN: 57,
    upDataSN: 57,
    serviceId: '',
    protocol: 'lwm2m',
    payload: { APPdata: 'aAEAAAAAAGiRCDMzNDOJZ0UznxY=' },
  },
  profile: {
    timestamp: 1718000060000,
    tenantId: '2000123456',
    productId: '17059876',
    deviceId: '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6',
    messageType: 'dataReport',
    IMEI: '869975039876543',
    IMSI: 'undefined',
    deviceType: '',
    topic: 'v1/up/ad19prof',
    assocAssetId: '',
    upPacketSN: -1,
    upDataSN: -1,
    serviceId: '',
    protocol: 'lwm2m',
    payload: {
      serviceId: 'meter_reading',
      serviceData: { total_flow: 456.78, valve_state: 0, battery_voltage: 3.6 },
    },
  },
  offline: {
    timestamp: 1718003600000,
    tenantId: '2000123456',
    productId: '17051234',
    deviceId: '9c1e3a5b7d9f4b2a8c6e0d1f3a5b7c9d',
    messageType: 'deviceOnlineOfflineReport',
    IMEI: '869975031234567',
    eventType: 0,
  },
  commandResponse: {
    timestamp: 1718003700000,
    tenantId: '2000123456',
    productId: '17051234',
    deviceId: '9c1e3a5b7d9f4b2a8c6e0d1f3a5b7c9d',
    messageType: 'commandResponse',
    protocol: 'lwm2m',
    taskId: 88,
    result: { resultCode: 'SENT', resultDetail: '' },
  },
  event: {
    timestamp: 1718003800000,
    tenantId: '2000123456',
    productId: '17059876',
    deviceId: '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6',
    messageType: 'eventReport',
    IMEI: '869975039876543',
    eventType: 2,
    serviceId: 'low_battery',
    eventContent: { battery_voltage: 3.1 },
  },
};

export const oneNetFixtures = {
  urlCheck: { msg: 'mVerifyMsg123', nonce: 'nOnCe001', signature: '4Hvfo2fLRw7zRyn/ISIp2w==' },
  studio: {
    msg: '{"deviceName":"WM-2024-0001","productId":"Qm8aXk2Lp0","messageType":"notify","notifyType":"property","data":{"id":"42","params":{"total_m3":{"value":123.45,"time":1718000000000},"valve":{"value":"open","time":1718000000000}}}}',
    nonce: 'k3Jd9xQa',
    signature: 'iGwWM5vpJbUU9eg4bYFp+w==',
    time: 1718000000321,
    id: 'b7c2e0f4a1d84e5c',
  },
  /** classic NB-IoT data point, as JSON text (the signature covers the exact msg text) */
  classicText:
    '{"msg":{"at":1718000400000,"type":1,"ds_id":"3200_0_5750","value":"6810563412000000008116","dev_id":552199301,"imei":"869975031234567"},"msg_signature":"8qCkpizJCg6i+tXcxscV3A==","nonce":"Zp4w8Rt2"}',
  /** classic batch: online then offline */
  classicBatchText:
    '{"msg":[{"at":1718000500000,"type":2,"status":1,"login_type":10,"dev_id":552199301,"imei":"869975031234567"},{"at":1718000600000,"type":2,"status":0,"login_type":10,"dev_id":552199301,"imei":"869975031234567"}],"msg_signature":"6dJHp1DsmkEZJ3yviVHnww==","nonce":"Ab12Cd34"}',
};

export const iotdaFixtures = {
  property: {
    resource: 'device.property',
    event: 'report',
    event_time: '20240610T062000Z',
    event_time_ms: '2024-06-10T06:20:00.250Z',
    request_id: '8d0b0f3e-1c2a-4b5d-9e6f-7a8b9c0d1e2f',
    notify_data: {
      header: {
        app_id: 'c1d2e3f4a5b6',
        device_id: '665f0a1b2c3d4e5f6a7b8c9d_869975031234567',
        node_id: '869975031234567',
        product_id: '665f0a1b2c3d4e5f6a7b8c9d',
        gateway_id: '665f0a1b2c3d4e5f6a7b8c9d_869975031234567',
        tags: [{ tag_key: 'area', tag_value: 'north' }],
      },
      body: {
        services: [
          {
            service_id: 'WaterMeter',
            properties: { total_flow: 98.76, valve: 'open' },
            event_time: '20240610T061959Z',
          },
          { service_id: 'Battery', properties: { battery_level: 87 }, event_time: '20240610T061959Z' },
        ],
      },
    },
  },
  message: {
    resource: 'device.message',
    event: 'report',
    event_time: '20240610T063000Z',
    notify_data: {
      header: {
        app_id: 'c1d2e3f4a5b6',
        device_id: '665f0a1b2c3d4e5f6a7b8c9d_869975031234567',
        node_id: '869975031234567',
        product_id: '665f0a1b2c3d4e5f6a7b8c9d',
      },
      body: {
        topic: '$oc/devices/665f0a1b2c3d4e5f6a7b8c9d_869975031234567/sys/messages/up',
        content: 'aBBWNBIAAAAAgRYfkAE0EgAALAAQAAAsADAIFQMkIAAAnRY=',
      },
    },
  },
  status: {
    resource: 'device.status',
    event: 'update',
    event_time: '20240610T070000Z',
    notify_data: {
      header: {
        device_id: '665f0a1b2c3d4e5f6a7b8c9d_869975031234567',
        node_id: '869975031234567',
        product_id: '665f0a1b2c3d4e5f6a7b8c9d',
      },
      body: { status: 'OFFLINE', last_online_time: '20240610T065500Z' },
    },
  },
  legacy: {
    notifyType: 'deviceDataChanged',
    requestId: null,
    deviceId: 'e0b1c2d3-f4a5-4b6c-8d7e-9f0a1b2c3d4e',
    gatewayId: 'e0b1c2d3-f4a5-4b6c-8d7e-9f0a1b2c3d4e',
    service: {
      serviceId: 'WaterMeter',
      serviceType: 'WaterMeter',
      data: { total_flow: 12.5 },
      eventTime: '20190315T081500Z',
    },
  },
};
