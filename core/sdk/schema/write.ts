// Writes the published JSON Schema of data-defined meter types: `npm run gen:schema -w @quadmeter/sdk`.
import { writeFileSync } from 'node:fs';
import { meterTypeJsonSchema } from '../src/kinds/meter-type-data.ts';

writeFileSync(
  new URL('./meter-type.schema.json', import.meta.url),
  `${JSON.stringify(meterTypeJsonSchema(), null, 2)}\n`,
);
