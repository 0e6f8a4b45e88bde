/**
 * `tsx bench/crm-server.ts --cards N --seed S`: the demo EspoCRM (tests/crm-sites) of a pipeline of N
 * deals on 127.0.0.1, run by the deep bench in its own process so that its CPU is not the extension's.
 */
import { parseArgs } from 'node:util';
import { demoPipeline } from '../demo/data';
import { startCrm } from '../tests/crm-sites/server';

const { values } = parseArgs({ options: { cards: { type: 'string' }, seed: { type: 'string' } } });
const crm = await startCrm(
  demoPipeline('espocrm', { cards: Number(values.cards ?? 1000), seed: Number(values.seed ?? 7) }),
);
process.stdout.write(`demo EspoCRM listening on ${crm.origin}/\n`);
const stop = () => {
  crm.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
