import { z } from 'zod';

// The CSP has no 'unsafe-eval'; without this, zod probes `new Function` while
// building the contract's schemas and the browser reports a CSP violation.
// Imported first by main.tsx so it runs before any schema is created.
z.config({ jitless: true });
