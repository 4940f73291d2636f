import type { Template } from './template.ts';

/** A poll transport: reading and control in read.ts, the contract. */
export const transportTemplate: Template = ({ id, title }) => ({
  'src/index.ts': `import { defineTransport } from '@quadmeter/sdk';
import { control, read } from './read.ts';

export default defineTransport({
  kind: 'transport',
  id: '${id}',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '${title}', en: '${title}' },
  mode: 'poll',
  protocols: ['cjt188'],
  read,
  control,
});
`,
  'src/read.ts': `import { meterTypeNames } from '@quadmeter/protocols/cjt188/index.ts';
import type { ControlCommand, ControlResult, ReadRequest, ReadResult } from '@quadmeter/sdk';

// Replace with your link: open the line (request.line), send each meter a request built with
// @quadmeter/protocols (e.g. cjt188.buildReadData), decode the reply and yield a reading. Until
// then every meter answers a typed, non-retryable failure.

export async function* read(request: ReadRequest): AsyncIterable<ReadResult> {
  for (const m of request.meters) {
    if (request.signal.aborted) return;
    yield {
      meterId: m.meterId,
      ok: false,
      error: { code: 'NOT_CONNECTED', message: \`no link to read a \${meterTypeNames[0x10]} meter yet\`, retryable: false },
    };
  }
}

export async function control(command: ControlCommand): Promise<ControlResult> {
  return {
    commandId: command.id,
    ok: false,
    error: { code: 'NOT_CONNECTED', message: \`no link to send \${command.action} yet\`, retryable: false },
  };
}
`,
  'fixtures/README.md':
    'Put recorded request/reply frames (hex) of your device here and replay them in a harness.\n',
  'src/contract.test.ts': `import { describeTransportContract } from '@quadmeter/sdk/testing';
import plugin from './index.ts';

describeTransportContract(plugin, {
  skip: {
    read: 'no device link yet: give options.harness a simulator of your meter (see README)',
    control: 'no device link yet: give options.harness a simulator of your meter (see README)',
  },
});
`,
});
