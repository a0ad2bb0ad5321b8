// A separate process that starts an import and keeps running until it is killed: the crash test
// SIGKILLs it mid-import. argv: dataDir eventbriteUrl secretRef token integrationId providerEventId
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/ground/secrets.ts';

const [dataDir, eventbriteUrl, secretRef, token, integrationId, providerEventId] = process.argv.slice(2);
const secrets = new MemorySecretStore();
secrets.set(secretRef!, token!);
const core = createCore({
  dataDir: dataDir!,
  secretStore: secrets,
  providerBaseUrls: { eventbrite: eventbriteUrl!, luma: 'http://127.0.0.1:9' },
});
core.events.on('jobProgress', (p) => process.stdout.write(`progress ${p.job.fetched}\n`));
await core.importEvent({ role: 'admin' }, Number(integrationId), providerEventId!);
process.stdout.write('started\n');
// Stay alive: the parent kills this process mid-import.
setInterval(() => undefined, 1_000);
