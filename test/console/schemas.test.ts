import { describe, expect, it } from 'vitest';
import { ROLES } from '../../console/src/schemas.ts';
import { ROLE_NAMES } from '../../src/services/access/principal.ts';

describe("the console's own copy of the API's roles", () => {
  it('is the list of the access policy', () => {
    expect([...ROLES].sort()).toEqual([...ROLE_NAMES].sort());
  });
});
