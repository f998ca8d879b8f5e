import { createConfig } from '@intake/eslint-config';

export default createConfig({ tsconfigRootDir: import.meta.dirname });
