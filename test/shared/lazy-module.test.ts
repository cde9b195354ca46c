import { lazyModule } from '../../src/shared/lazy-module';

describe('lazyModule', () => {
  test('loads nothing until first called, then loads once and returns the same module every time', () => {
    const load = jest.fn(() => ({ answer: 42 }));
    const module = lazyModule(load);
    expect(load).not.toHaveBeenCalled();
    const first = module();
    expect(first).toEqual({ answer: 42 });
    expect(module()).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('keeps a module whose value is falsy, instead of loading it again', () => {
    const load = jest.fn(() => 0);
    const module = lazyModule(load);
    expect([module(), module()]).toEqual([0, 0]);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
