import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import { Cjt188Device, Cjt188Meter, Dlt645Device } from '@quadmeter/simulators';

/** A DL/T 645-2007 meter whose relay is welded: it acknowledges 1C but the relay never moves. */
export class WeldedRelayDevice extends Dlt645Device {
  override handle(bytes: Uint8Array): Uint8Array | null {
    const f = dlt645.decodeFrame(bytes);
    if (f.function === 'relay-control' && f.address === this.meter.address && f.direction === 'master->slave')
      return dlt645.encodeFrame({
        address: this.meter.address,
        function: 'relay-control',
        direction: 'slave->master',
        version: '2007',
      });
    return super.handle(bytes);
  }
}

/** A DL/T 645-2007 meter without status word 3: answers "no data requested" for 04000503. */
export class NoStatusWordDevice extends Dlt645Device {
  override handle(bytes: Uint8Array): Uint8Array | null {
    const f = dlt645.decodeFrame(bytes);
    if (f.function === 'read' && f.di === '04000503' && f.address === this.meter.address)
      return dlt645.buildErrorReply(this.meter.address, 'read', 0x02);
    return super.handle(bytes);
  }
}

/** A CJ/T 188 meter whose valve is jammed: any valve command leaves it abnormal (ST1 D1D0 = 11). */
export class JammedValveMeter extends Cjt188Meter {
  override setValve(): void {
    this.advance();
    this.valve = 'abnormal';
  }
}

/**
 * A CJ/T 188 meter whose valve answer carries ST1 D1D0 = 10 (a value the standard leaves
 * undefined): the valve moves, but only a 901F read tells where it is.
 */
export class VagueValveDevice extends Cjt188Device {
  override handle(bytes: Uint8Array): Uint8Array | null {
    const reply = super.handle(bytes);
    const f = cjt188.decode(bytes);
    if (!reply || f.di !== 'A017') return reply;
    return cjt188.buildValveControlReply(
      this.meter.type,
      this.meter.address,
      f.ser,
      { raw: '0200' },
      {
        diOrder: f.diOrder,
      },
    );
  }
}

/**
 * A smart meter whose allow-close (1B) only arms the relay: the relay stays open (status word 3
 * D4 = 1) with the command state back to close (D6 = 0) until the customer presses the button.
 */
export class ArmedCloseDevice extends Dlt645Device {
  armed = false;

  override handle(bytes: Uint8Array): Uint8Array | null {
    const f = dlt645.decodeFrame(bytes);
    if (f.address !== this.meter.address || f.direction !== 'master->slave') return super.handle(bytes);
    if (f.function === 'relay-control' && f.action === 'allow-close') {
      this.armed = true;
      return dlt645.encodeFrame({
        address: this.meter.address,
        function: 'relay-control',
        direction: 'slave->master',
        version: '2007',
      });
    }
    if (this.armed && f.function === 'read' && f.di === '04000503')
      return dlt645.buildReadReply(this.meter.address, '04000503', '0010');
    return super.handle(bytes);
  }
}
