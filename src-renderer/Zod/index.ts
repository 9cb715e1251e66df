import { z } from 'zod';

// The CSP has no 'unsafe-eval'; without this, zod probes `new Function` while building
// schemas and the browser reports a CSP violation. zod loads only with the parts that use it
// (Settings, Import): each imports this first, before any module that builds a schema.
z.config({ jitless: true });

export { z };
