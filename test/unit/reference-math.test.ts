/** Scalar functions of the reference backend against literal values (from libm / hand derivation). */
import { strict as assert } from 'assert';
import { cpow, erf, erfc, powInt, powScalarFloat, roundHalfEven, sign } from '../../src/runtime/backend/reference/math';

describe('reference math: erf / erfc', () => {
  // [x, erf(x)] from glibc's erf; the points straddle the series / continued-fraction seam at 2.5.
  const table: Array<[number, number]> = [
    [0.1, 0.1124629160182849], [0.3, 0.3286267594591274], [1e-5, 1.1283791670579e-5], [1.5, 0.9661051464753108],
    [2.4999999999, 0.9995930479823372], [2.5, 0.999593047982555], [2.5000000001, 0.9995930479827728],
    [3.5, 0.9999992569016276], [4.2, 0.9999999971445058], [5.5, 0.9999999999999927], [5.99, 1],
    [-0.7, -0.6778011938374184], [-2.7, -0.9998656672600594],
  ];
  for (const [x, want] of table) {
    it(`erf(${x}) within 1e-15`, () => assert.ok(Math.abs(erf(x) - want) <= 1e-15, `${erf(x)} vs ${want}`));
  }

  it('is odd, monotone on a fine grid, and exact at the special values', () => {
    assert.ok(Object.is(erf(-0), -0) && erf(0) === 0);
    assert.equal(erf(Infinity), 1);
    assert.equal(erf(-Infinity), -1);
    assert.ok(Number.isNaN(erf(NaN)));
    let prev = -1;
    for (let x = -6; x <= 6; x += 1 / 1024) {
      const v = erf(x);
      assert.equal(erf(-x), -v);
      assert.ok(v >= prev, `not monotone at ${x}`);
      prev = v;
    }
  });

  it('erfc keeps relative accuracy in the tail', () => {
    const tail: Array<[number, number]> = [[3, 2.2090496998585438e-5], [5, 1.5374597944280351e-12],
      [10, 2.088487583762545e-45], [20, 5.3958656116079005e-176], [26, 5.663192408856143e-296]];
    for (const [x, want] of tail) assert.ok(Math.abs(erfc(x) / want - 1) < 1e-14, `erfc(${x}) = ${erfc(x)}`);
    assert.equal(erfc(-Infinity), 2);
    assert.equal(erfc(Infinity), 0);
  });
});

describe('reference math: PyTorch scalar semantics', () => {
  it('round is half to even and keeps the sign of zero', () => {
    const xs = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.4, -2.6, 4503599627370497, Infinity];
    assert.deepEqual(xs.map(roundHalfEven), [0, 2, 2, -0, -2, -2, 0, 2, -3, 4503599627370497, Infinity]);
    assert.ok(Object.is(roundHalfEven(-0.2), -0));
  });

  it('sign(0) = sign(-0) = sign(NaN) = 0', () => {
    assert.deepEqual([sign(-3), sign(0), sign(-0), sign(NaN), sign(Infinity)], [-1, 0, 0, 0, 1]);
    assert.ok(Object.is(sign(-0), 0));
  });

  it('cpow follows C pow where Math.pow differs', () => {
    assert.equal(cpow(1, NaN), 1);
    assert.equal(cpow(-1, Infinity), 1);
    assert.equal(cpow(-1, -Infinity), 1);
    assert.equal(cpow(NaN, 0), 1);
    assert.ok(Number.isNaN(cpow(-8, 1 / 3)));
    assert.equal(cpow(0, -1), Infinity);
  });

  it('pow(tensor, scalar) special exponents as ATen (sqrt, rsqrt, products)', () => {
    assert.ok(Number.isNaN(powScalarFloat(-Infinity, 0.5))); // via sqrt, unlike C pow (= +∞)
    assert.ok(Object.is(powScalarFloat(-0, 0.5), -0));
    assert.equal(powScalarFloat(3, 3), 27);
    assert.equal(powScalarFloat(4, -0.5), 0.5);
    assert.equal(powScalarFloat(-2, -2), 0.25);
    assert.equal(powScalarFloat(2, 10), 1024);
  });

  it('integer pow wraps and treats negative exponents as ATen powi', () => {
    assert.equal(powInt(2, 31), -2147483648);
    assert.equal(powInt(3, 40), Number(BigInt.asIntN(32, 3n ** 40n)));
    assert.deepEqual([powInt(2, -1), powInt(1, -7), powInt(-1, -3), powInt(-1, -4), powInt(0, 0)], [0, 1, -1, 1, 1]);
  });
});
