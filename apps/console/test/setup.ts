import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Testing Library unmounts between tests only when globals are on; here they are not.
afterEach(() => cleanup());
