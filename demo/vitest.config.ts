import { defineConfig } from 'vitest/config';
import root from '../vitest.config';

/** The project's test setup for the demo's own tests only (the root config includes only its folders). */
export default defineConfig({ ...root, test: { ...root.test, include: ['demo/**/*.test.ts'] } });
