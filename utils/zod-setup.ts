import { z } from 'zod';

// MV3's CSP forbids eval: stop zod probing `new Function` for its JIT.
z.config({ jitless: true });
