// Compile-time checks (the typecheck step reads test/): to-many relationships are lists, to-one are single.
import { describe, expectTypeOf, it } from 'vitest';
import type { Apply, Plan, ResourceRef, Run, StateVersion } from '../../src/index.js';

describe('relationship types', () => {
  it('types to-many relationships as lists of references', () => {
    expectTypeOf<Run['relationships']['policyChecks']>().toEqualTypeOf<ResourceRef[] | null | undefined>();
    expectTypeOf<Run['relationships']['comments']>().toEqualTypeOf<ResourceRef[] | null | undefined>();
    expectTypeOf<Plan['relationships']['stateVersions']>().toEqualTypeOf<ResourceRef[] | null | undefined>();
    expectTypeOf<Apply['relationships']['stateVersions']>().toEqualTypeOf<ResourceRef[] | null | undefined>();
    expectTypeOf<StateVersion['relationships']['outputs']>().toEqualTypeOf<
      ResourceRef[] | null | undefined
    >();
  });

  it('types to-one relationships as a single reference', () => {
    expectTypeOf<Run['relationships']['plan']>().toEqualTypeOf<ResourceRef | null | undefined>();
    expectTypeOf<Run['relationships']['workspace']>().toEqualTypeOf<ResourceRef | null | undefined>();
  });
});
