// Worker bootstrap for the protocol fuzzer: registers tsx in this thread, then loads the host.
import { register } from 'tsx/esm/api';

register();
await import('./host.ts');
