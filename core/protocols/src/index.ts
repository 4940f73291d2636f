import type { FrameCodec } from './common/codec.ts';

export * from './common/index.ts';

export const frameProtocols = ['dlt645', 'cjt188', 'mbus', 'gdw1376'] as const;
export type FrameProtocol = (typeof frameProtocols)[number];

export function isFrameProtocol(name: string): name is FrameProtocol {
  return (frameProtocols as readonly string[]).includes(name);
}

/** Loads one codec on demand, so a tool that needs one protocol does not parse all four. */
export async function loadCodec(name: FrameProtocol): Promise<FrameCodec<unknown, unknown>> {
  switch (name) {
    case 'dlt645':
      return (await import('./dlt645/index.ts')).codec as FrameCodec<unknown, unknown>;
    case 'cjt188':
      return (await import('./cjt188/index.ts')).codec as FrameCodec<unknown, unknown>;
    case 'mbus':
      return (await import('./mbus/index.ts')).codec as FrameCodec<unknown, unknown>;
    case 'gdw1376':
      return (await import('./gdw1376/index.ts')).codec as FrameCodec<unknown, unknown>;
  }
}
